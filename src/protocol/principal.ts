// Who is calling, as an authentication layer established it: shared by the server (ctx.principal,
// scope checks, requestState binding) and the auth layer that produces it. Imports nothing.

export interface Principal {
  /** Stable identifier of the caller; binds sealed `requestState` to them. */
  subject: string;
  /** Granted scopes (OAuth `scope`), checked against what tools, resources and prompts require. */
  scopes?: readonly string[];
  /** Verified token claims or key metadata; never the token itself. */
  claims?: Readonly<Record<string, unknown>>;
}

/**
 * Default scope hierarchy: a granted scope covers itself and every scope below it in a
 * colon-separated path, so `weather` covers `weather:read` and `weather:read:hourly`.
 */
export function scopeCovers(granted: string, required: string): boolean {
  return granted === required || required.startsWith(`${granted}:`);
}

/** The required scopes that none of the granted ones cover. */
export function missingScopes(
  granted: readonly string[] | undefined,
  required: readonly string[],
  covers: (granted: string, required: string) => boolean = scopeCovers,
): string[] {
  return required.filter((scope) => !(granted ?? []).some((g) => covers(g, scope)));
}

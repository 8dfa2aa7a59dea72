// Scope gating of tools, resources and prompts. Scopes bind only when an auth gate established a
// principal; without one there is nothing to check.
import { missingScopes } from '../protocol/principal.ts';
import type { Principal } from '../protocol/principal.ts';
import type { JsonObject } from '../protocol/jsonrpc.ts';
import { ScopeRequiredError } from './outcome.ts';
import { invalidParams, requireString } from './params.ts';
import type { Gated } from './registry.ts';

export type ScopeCovers = (granted: string, required: string) => boolean;

export function allows(item: Gated, principal: Principal | undefined, covers: ScopeCovers | undefined): boolean {
  return item.scopes.length === 0 || principal === undefined || missingScopes(principal.scopes, item.scopes, covers).length === 0;
}

/** Throws the refusal the transport reports (403 with a scope challenge on HTTP). */
export function gate(item: Gated, principal: Principal | undefined, covers: ScopeCovers | undefined, what: string): void {
  if (!allows(item, principal, covers)) throw new ScopeRequiredError(what, item.scopes);
}

/** The tool or prompt a request names in `params.name`, once the caller may use it. */
export function addressed<T extends Gated & { name: string }>(entries: ReadonlyMap<string, T>, kind: 'tool' | 'prompt', params: JsonObject, principal: Principal | undefined, covers: ScopeCovers | undefined): T {
  const name = requireString(params, 'name', kind);
  const entry = entries.get(name);
  if (!entry) throw invalidParams(`Unknown ${kind} "${name}". Call ${kind}s/list to see the available ${kind}s.`);
  gate(entry, principal, covers, `${kind} "${name}"`);
  return entry;
}

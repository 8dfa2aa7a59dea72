// Scope gating of tools, resources and prompts. Scopes bind only when an auth gate established a
// principal; without one there is nothing to check.
import { missingScopes } from '../protocol/principal.ts';
import type { Principal } from '../protocol/principal.ts';
import { ScopeRequiredError } from './outcome.ts';
import type { Gated } from './registry.ts';

export type ScopeCovers = (granted: string, required: string) => boolean;

export function allows(item: Gated, principal: Principal | undefined, covers: ScopeCovers | undefined): boolean {
  return item.scopes.length === 0 || principal === undefined || missingScopes(principal.scopes, item.scopes, covers).length === 0;
}

/** Throws the refusal the transport reports (403 with a scope challenge on HTTP). */
export function gate(item: Gated, principal: Principal | undefined, covers: ScopeCovers | undefined, what: string): void {
  if (!allows(item, principal, covers)) throw new ScopeRequiredError(what, item.scopes);
}

// The list methods' one page-maker: scope filtering, paging and the shared-page cache, written once
// for tools/list, prompts/list, resources/list and resources/templates/list.
import type { JsonObject } from '../protocol/jsonrpc.ts';
import type { RequestEnv } from './outbox.ts';
import { decodeCursor, pageAt } from './pagination.ts';
import type { Gated } from './registry.ts';
import { allows } from './scopes.ts';
import type { ScopeCovers } from './scopes.ts';

export type ListKey = 'tools' | 'prompts' | 'resources' | 'resourceTemplates';

export interface ListSettings {
  /** Items per page. */
  pageSize: number;
  /** `ttlMs`/`cacheScope` on 2026 discover, list and read results. */
  ttlMs: number;
  cacheScope: 'public' | 'private';
  covers: ScopeCovers | undefined;
}

/** Items a handler produced for this request (resource templates' `list`), after the registered ones. */
export interface Produced {
  /** The entries that produced them: their scopes make the list personal too. */
  sources: readonly Gated[];
  items: readonly object[];
}

export function cacheFields(settings: ListSettings, env: RequestEnv, personal = false): JsonObject {
  if (env.era !== 'modern') return {};
  return { ttlMs: settings.ttlMs, cacheScope: personal ? 'private' : settings.cacheScope };
}

function scoped(item: Gated): boolean {
  return item.scopes.length > 0;
}

export class Lists {
  readonly #settings: ListSettings;
  /** Pages every caller shares, by list, era and offset; the catalog clears it when a list changes. */
  readonly #cache: Map<string, JsonObject>;

  constructor(settings: ListSettings, cache: Map<string, JsonObject>) {
    this.#settings = settings;
    this.#cache = cache;
  }

  get settings(): ListSettings {
    return this.#settings;
  }

  page(key: ListKey, items: readonly Gated[], cursor: unknown, env: RequestEnv, produced?: Produced): JsonObject {
    // Decoding first refuses a cursor we did not issue, before any handler runs.
    const offset = decodeCursor(cursor);
    // A list that depends on the caller's scopes is neither shared between callers nor cached here.
    const personal = env.principal !== undefined && (items.some(scoped) || produced?.sources.some(scoped) === true);
    // Produced items may change on every call: only registered ones make a shared page.
    const cacheKey = personal || produced ? undefined : `${key}|${env.era}|${offset}`;
    const cached = cacheKey === undefined ? undefined : this.#cache.get(cacheKey);
    if (cached) return cached;
    const visible = personal ? items.filter((item) => allows(item, env.principal, this.#settings.covers)) : items;
    const { pageSize } = this.#settings;
    let listed: readonly object[];
    let nextCursor: string | undefined;
    if (produced) ({ items: listed, nextCursor } = pageAt([...visible.map(definitionOf), ...produced.items], offset, pageSize));
    else {
      const page = pageAt(visible, offset, pageSize);
      listed = page.items.map(definitionOf);
      nextCursor = page.nextCursor;
    }
    const result: JsonObject = { [key]: listed, ...cacheFields(this.#settings, env, personal) };
    if (nextCursor !== undefined) result.nextCursor = nextCursor;
    if (cacheKey !== undefined) this.#cache.set(cacheKey, result);
    return result;
  }
}

function definitionOf(item: Gated): JsonObject {
  return item.definition;
}

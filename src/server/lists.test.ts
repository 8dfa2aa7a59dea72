import { describe, expect, it } from 'vitest';
import { Lists } from './lists.ts';
import type { ListSettings } from './lists.ts';
import type { RequestEnv } from './outbox.ts';
import type { Gated } from './registry.ts';
import type { Principal } from '../protocol/principal.ts';
import type { JsonObject } from '../protocol/jsonrpc.ts';

const settings: ListSettings = { pageSize: 2, ttlMs: 60_000, cacheScope: 'public', covers: undefined };

function envFor(principal?: Principal, era: RequestEnv['era'] = 'modern'): RequestEnv {
  return { era, protocolVersion: '2026-07-28', headers: new Headers(), signal: new AbortController().signal, outbox: { send() {} }, principal };
}

function item(name: string, scopes: string[] = []): Gated {
  return { definition: { name }, scopes };
}

const reader: Principal = { subject: 'ann', scopes: ['read'] };

describe('Lists.page', () => {
  it('pages registered items by cursor and shares each page between callers', () => {
    const lists = new Lists(settings, new Map());
    const items = [item('a'), item('b'), item('c')];
    const first = lists.page('tools', items, undefined, envFor());
    expect(first).toEqual({ tools: [{ name: 'a' }, { name: 'b' }], ttlMs: 60_000, cacheScope: 'public', nextCursor: expect.any(String) });
    const second = lists.page('tools', items, first.nextCursor, envFor());
    expect(second).toEqual({ tools: [{ name: 'c' }], ttlMs: 60_000, cacheScope: 'public' });
    // Nobody's scopes matter here, so another caller gets the very same page.
    expect(lists.page('tools', items, undefined, envFor(reader))).toBe(first);
  });

  it('filters by the caller scopes, marks the page private and caches none of it', () => {
    const cache = new Map<string, JsonObject>();
    const lists = new Lists(settings, cache);
    const items = [item('open'), item('secret', ['admin']), item('readable', ['read'])];
    const page = lists.page('tools', items, undefined, envFor(reader));
    expect(page).toEqual({ tools: [{ name: 'open' }, { name: 'readable' }], ttlMs: 60_000, cacheScope: 'private' });
    expect(cache.size).toBe(0);
    // Without a principal no scope binds: everything is listed, and shared.
    expect(lists.page('tools', items, undefined, envFor()).tools).toHaveLength(2);
    expect(cache.size).toBe(1);
  });

  it('appends produced items after the registered ones, pages them together and never caches them', () => {
    const cache = new Map<string, JsonObject>();
    const lists = new Lists(settings, cache);
    const produced = { sources: [item('template')], items: [{ uri: 'x://1', name: 'one' }, { uri: 'x://2', name: 'two' }] };
    const first = lists.page('resources', [item('static')], undefined, envFor(), produced);
    expect(first.resources).toEqual([{ name: 'static' }, { uri: 'x://1', name: 'one' }]);
    expect(lists.page('resources', [item('static')], first.nextCursor, envFor(), produced).resources).toEqual([{ uri: 'x://2', name: 'two' }]);
    expect(cache.size).toBe(0);
  });

  it('makes the page private when a producing entry is scoped', () => {
    const lists = new Lists(settings, new Map());
    const produced = { sources: [item('template', ['read'])], items: [{ uri: 'x://1', name: 'one' }] };
    expect(lists.page('resources', [], undefined, envFor(reader), produced).cacheScope).toBe('private');
  });

  it('leaves cache fields off on the 2025 lane and keeps its pages apart from 2026 ones', () => {
    const lists = new Lists(settings, new Map());
    const items = [item('a')];
    const legacy = lists.page('prompts', items, undefined, envFor(undefined, 'legacy'));
    expect(legacy).toEqual({ prompts: [{ name: 'a' }] });
    expect(lists.page('prompts', items, undefined, envFor())).toMatchObject({ cacheScope: 'public' });
  });

  it('refuses a cursor it did not issue before producing anything', () => {
    const lists = new Lists(settings, new Map());
    expect(() => lists.page('tools', [], 'not-ours', envFor())).toThrow(/Invalid cursor/);
  });
});

import { describe, expect, it } from 'vitest';
import type { JsonRpcRequest } from '../protocol/jsonrpc.ts';
import type { McpServer } from '../server/server.ts';
import { checkModernHeaders } from './request-headers.ts';

// Fetch's Headers strips surrounding whitespace; workerd's does not, so fake one that keeps it.
const rawHeaders = (values: Record<string, string>) => ({ get: (name: string) => values[name] ?? null }) as Headers;
const list: JsonRpcRequest = { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} };
const check = (values: Record<string, string>) => checkModernHeaders(list, rawHeaders(values), '2026-07-28', {} as McpServer);

describe('checkModernHeaders', () => {
  it('ignores spaces and tabs around header values', () => {
    expect(() => check({ 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/list' })).not.toThrow();
    expect(() => check({ 'mcp-protocol-version': ' 2026-07-28', 'mcp-method': 'tools/list\t' })).not.toThrow();
    expect(() => check({ 'mcp-protocol-version': '\t2026-07-28 \t', 'mcp-method': '  tools/list  ' })).not.toThrow();
  });

  it('still compares what is inside', () => {
    expect(() => check({ 'mcp-protocol-version': '2026-07-28', 'mcp-method': ' tools/ list ' })).toThrow(/Mcp-Method header value 'tools\/ list'/);
    expect(() => check({ 'mcp-protocol-version': '2026-07-28', 'mcp-method': '' })).toThrow(/Mcp-Method header value ''/);
  });
});

import { describe, expect, it } from 'vitest';
import { encodeHeaderValue } from './header-values.ts';
import { analyseToolHeaders, paramHeaders } from './tool-headers.ts';

const b64 = (text: string) => `=?base64?${btoa(String.fromCharCode(...new TextEncoder().encode(text)))}?=`;

describe('encodeHeaderValue (SEP-2243 value encoding)', () => {
  it.each([
    ['us-west1', 'us-west1'],
    ['us west 1', 'us west 1'],
    ['', ''],
    ['Hello, 世界', b64('Hello, 世界')],
    [' padded ', b64(' padded ')],
    ['trailing ', b64('trailing ')],
    ['line1\r\nline2', b64('line1\r\nline2')],
    ['\tindented', b64('\tindented')],
    ['=?base64?abc?=', b64('=?base64?abc?=')],
  ])('%j → %j', (value, header) => {
    expect(encodeHeaderValue(value)).toBe(header);
  });
});

describe('analyseToolHeaders (x-mcp-header rules)', () => {
  it('collects declarations on primitive properties reached through properties, nested too', () => {
    const verdict = analyseToolHeaders({
      type: 'object',
      properties: {
        region: { type: 'string', 'x-mcp-header': 'Region' },
        opts: { type: 'object', properties: { tier: { type: 'integer', 'x-mcp-header': 'Tier' }, fast: { type: 'boolean', 'x-mcp-header': 'Fast' } } },
        // A property named like the keyword is just a property.
        properties: { type: 'object', properties: { 'x-mcp-header': { type: 'string' } } },
      },
    });
    expect(verdict).toEqual({ ok: true, params: [{ name: 'Region', path: ['region'] }, { name: 'Tier', path: ['opts', 'tier'] }, { name: 'Fast', path: ['opts', 'fast'] }] });
  });

  it.each([
    ['an empty name', { v: { type: 'string', 'x-mcp-header': '' } }, /non-empty/],
    ['an object property', { v: { type: 'object', 'x-mcp-header': 'Data' } }, /string, integer or boolean/],
    ['an array property', { v: { type: 'array', items: { type: 'string' }, 'x-mcp-header': 'Items' } }, /string, integer or boolean/],
    ['a null property', { v: { type: 'null', 'x-mcp-header': 'Nil' } }, /string, integer or boolean/],
    ['a number property', { v: { type: 'number', 'x-mcp-header': 'N' } }, /string, integer or boolean/],
    ['a space in the name', { v: { type: 'string', 'x-mcp-header': 'My Region' } }, /not an HTTP token/],
    ['a colon in the name', { v: { type: 'string', 'x-mcp-header': 'Region:Primary' } }, /not an HTTP token/],
    ['a non-ASCII name', { v: { type: 'string', 'x-mcp-header': 'Région' } }, /not an HTTP token/],
    ['a control character in the name', { v: { type: 'string', 'x-mcp-header': 'Region\t1' } }, /not an HTTP token/],
    ['a repeated name', { a: { type: 'string', 'x-mcp-header': 'Region' }, b: { type: 'string', 'x-mcp-header': 'Region' } }, /declared twice/],
    ['names equal but for case', { a: { type: 'string', 'x-mcp-header': 'MyField' }, b: { type: 'string', 'x-mcp-header': 'myfield' } }, /declared twice/],
    ['a declaration under items', { list: { type: 'array', items: { type: 'string', 'x-mcp-header': 'Item' } } }, /only allowed on properties/],
  ])('rejects %s', (_row, properties, reason) => {
    const verdict = analyseToolHeaders({ type: 'object', properties });
    expect(verdict.ok).toBe(false);
    expect(verdict.ok ? '' : verdict.reason).toMatch(reason);
  });

  it('rejects declarations in $defs and composition keywords', () => {
    expect(analyseToolHeaders({ type: 'object', $defs: { r: { type: 'string', 'x-mcp-header': 'R' } } }).ok).toBe(false);
    expect(analyseToolHeaders({ type: 'object', oneOf: [{ properties: { r: { type: 'string', 'x-mcp-header': 'R' } } }] }).ok).toBe(false);
  });
});

describe('paramHeaders', () => {
  const params = [
    { name: 'Region', path: ['region'] },
    { name: 'Priority', path: ['priority'] },
    { name: 'Verbose', path: ['verbose'] },
    { name: 'Tier', path: ['opts', 'tier'] },
  ];

  it('mirrors present values, encoding strings, and omits null and absent ones', () => {
    expect(paramHeaders(params, { region: 'Zürich', priority: 42, verbose: null, opts: { tier: 2 } })).toEqual({
      'Mcp-Param-Region': b64('Zürich'),
      'Mcp-Param-Priority': '42',
      'Mcp-Param-Tier': '2',
    });
    expect(paramHeaders(params, { region: 'eu', verbose: false })).toEqual({ 'Mcp-Param-Region': 'eu', 'Mcp-Param-Verbose': 'false' });
  });
});

import { describe, expect, it } from 'vitest';
import { compilePrompt, compileResource, compileTool } from './registry.ts';
import { jsonSchema } from '../schema/json-schema.ts';

const noop = () => ({ content: [] });

describe('compileTool', () => {
  it('advertises an empty object schema when the tool takes no input', () => {
    expect(compileTool('t', {}, noop).definition.inputSchema).toEqual({ type: 'object', properties: {} });
  });

  it.each(['', 'has space', 'a'.repeat(129), 'slash/name'])('refuses the tool name %j at registration', (name) => {
    expect(() => compileTool(name, {}, noop)).toThrow(TypeError);
  });

  it('refuses an input schema that is not an object', () => {
    expect(() => compileTool('t', { inputSchema: jsonSchema({ type: 'string' }) }, noop)).toThrow(/must describe an object/);
  });

  it('collects x-mcp-header parameters through nested properties', () => {
    const tool = compileTool('t', {
      inputSchema: jsonSchema({ type: 'object', properties: { region: { type: 'string', 'x-mcp-header': 'Region' }, opts: { type: 'object', properties: { tier: { type: 'integer', 'x-mcp-header': 'Tier' } } } } }),
    }, noop);
    expect([...tool.headerParams]).toEqual([
      ['region', { path: ['region'], type: 'string' }],
      ['tier', { path: ['opts', 'tier'], type: 'integer' }],
    ]);
  });

  it.each([
    ['a number property', { a: { type: 'number', 'x-mcp-header': 'A' } }, /only string, integer and boolean/],
    ['a name that is not an HTTP token', { a: { type: 'string', 'x-mcp-header': 'Has Space' } }, /HTTP token/],
    ['a name used twice, case-insensitively', { a: { type: 'string', 'x-mcp-header': 'X' }, b: { type: 'string', 'x-mcp-header': 'x' } }, /used twice/],
  ])('refuses x-mcp-header on %s', (_row, properties, message) => {
    expect(() => compileTool('t', { inputSchema: jsonSchema({ type: 'object', properties }) }, noop)).toThrow(message);
  });
});

describe('compileResource and compilePrompt', () => {
  it('refuses a resource URI that is not absolute', () => {
    expect(() => compileResource('r', 'relative/path', {}, () => ({ contents: [] }))).toThrow(/absolute URI/);
  });

  it('derives prompt arguments from the args schema', () => {
    const prompt = compilePrompt('p', { argsSchema: jsonSchema({ type: 'object', properties: { city: { type: 'string', description: 'Where' }, unit: { type: 'string' } }, required: ['city'] }) }, () => ({ messages: [] }));
    expect(prompt.definition.arguments).toEqual([
      { name: 'city', description: 'Where', required: true },
      { name: 'unit', required: false },
    ]);
  });
});

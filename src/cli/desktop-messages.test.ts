import { describe, expect, it } from 'vitest';
import { McpClientError } from '../client/index.ts';
import { ErrorCode } from '../protocol/jsonrpc.ts';
import { checkedAnswer, completionParams, isCreateMessageResult, isElicitResult, isListRootsResult } from './desktop-messages.ts';

describe("the desktop's answers to input requests", () => {
  it.each([
    [{ action: 'accept', content: { name: 'Ada' } }, true],
    [{ action: 'decline', _meta: { note: 'kept' } }, true],
    [{ action: 'yes' }, false],
    [{ action: 'accept', content: 'Ada' }, false],
    [null, false],
  ])('elicitation/create %j: %s', (answer, ok) => {
    expect(isElicitResult(answer)).toBe(ok);
  });

  it.each([
    [{ role: 'assistant', content: { type: 'text', text: 'hi' }, model: 'm' }, true],
    [{ role: 'assistant', content: { type: 'text', text: 'hi' }, model: 'm', stopReason: 'endTurn' }, true],
    [{ role: 'system', content: {}, model: 'm' }, false],
    [{ role: 'assistant', content: {} }, false],
    [{ role: 'assistant', model: 'm' }, false],
  ])('sampling/createMessage %j: %s', (answer, ok) => {
    expect(isCreateMessageResult(answer)).toBe(ok);
  });

  it.each([
    [{ roots: [] }, true],
    [{ roots: [{ uri: 'file:///a', name: 'a' }] }, true],
    [{ roots: [{ name: 'a' }] }, false],
    [{ roots: 'file:///a' }, false],
  ])('roots/list %j: %s', (answer, ok) => {
    expect(isListRootsResult(answer)).toBe(ok);
  });

  it('passes a well-formed answer on whole, and refuses another naming the method to fix', () => {
    const answer = { action: 'accept', content: {}, _meta: { trace: 1 } };
    expect(checkedAnswer('elicitation/create', answer, isElicitResult, 'an elicitation result')).toBe(answer);
    expect(() => checkedAnswer('elicitation/create', { action: 'ok' }, isElicitResult, 'an elicitation result')).toThrow(/answered elicitation\/create .* fix the client's elicitation\/create handler/);
  });
});

describe('completion/complete params from the desktop', () => {
  it('takes a prompt or resource reference, the argument and an optional context', () => {
    expect(completionParams({ ref: { type: 'ref/prompt', name: 'p' }, argument: { name: 'a', value: 'v' } })).toEqual({ ref: { type: 'ref/prompt', name: 'p' }, argument: { name: 'a', value: 'v' } });
    expect(completionParams({ ref: { type: 'ref/resource', uri: 'u' }, argument: { name: 'a', value: '' }, context: { arguments: { b: 'x' } } })).toEqual({
      ref: { type: 'ref/resource', uri: 'u' },
      argument: { name: 'a', value: '' },
      context: { arguments: { b: 'x' } },
    });
  });

  it.each([
    [{ ref: { type: 'ref/prompt' }, argument: { name: 'a', value: 'v' } }, /ref must be/],
    [{ ref: 'p', argument: { name: 'a', value: 'v' } }, /ref must be/],
    [{ ref: { type: 'ref/prompt', name: 'p' }, argument: { name: 'a', value: 1 } }, /argument must be/],
    [{ ref: { type: 'ref/prompt', name: 'p' }, argument: { name: 'a', value: 'v' }, context: { arguments: { b: 2 } } }, /context must be/],
  ])('refuses %j with InvalidParams', (params, message) => {
    expect(() => completionParams(params)).toThrow(expect.objectContaining({ name: McpClientError.name, rpcCode: ErrorCode.InvalidParams, message: expect.stringMatching(message) }));
  });
});

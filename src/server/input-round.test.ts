import { describe, expect, it } from 'vitest';
import { McpServer } from './server.ts';
import { InputRoundEndedError } from './input-requests.ts';
import type { RequestEnv } from './outbox.ts';

const env: RequestEnv = {
  era: 'modern',
  protocolVersion: '2026-07-28',
  headers: new Headers(),
  signal: new AbortController().signal,
  outbox: { send() {} },
};
const meta = { 'io.modelcontextprotocol/clientCapabilities': { elicitation: {}, sampling: {}, roots: {} } };
const question = { messages: [{ role: 'user' as const, content: { type: 'text' as const, text: 'Capital of France?' } }], maxTokens: 10 };
const nameForm = { message: 'Name?', requestedSchema: { type: 'object' as const, properties: { name: { type: 'string' as const } } } };
/** Lets every promise reaction already queued run: an unwinding run needs no timer. */
const drained = () => new Promise((resolve) => setTimeout(resolve, 0));

function serverRecording() {
  const seen: string[] = [];
  const errors: unknown[] = [];
  const server = new McpServer({ name: 's', version: '1', onError: (error) => errors.push(error) });
  return { server, seen, errors };
}

describe('a run abandoned after input_required (MRTR) unwinds', () => {
  it('rejects every ask the round left waiting, once, and runs finally without reaching onError', async () => {
    const { server, seen, errors } = serverRecording();
    server.registerTool('both', {}, async (_args, ctx) => {
      try {
        const settled = await Promise.allSettled([ctx.elicit(nameForm, 'name'), ctx.listRoots('roots')]);
        seen.push(...settled.map((s) => (s.status === 'rejected' && s.reason instanceof InputRoundEndedError ? 'rejected with InputRoundEndedError' : s.status)));
        return { content: [] };
      } finally {
        seen.push(`finally, signal ${ctx.signal.reason instanceof InputRoundEndedError ? 'aborted with InputRoundEndedError' : 'not aborted'}`);
      }
    });
    const response = await server.handle({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'both', _meta: meta } }, env);
    expect(response).toMatchObject({ result: { resultType: 'input_required', inputRequests: { name: { method: 'elicitation/create' }, roots: { method: 'roots/list' } } } });
    await drained();
    expect(seen).toEqual(['rejected with InputRoundEndedError', 'rejected with InputRoundEndedError', 'finally, signal aborted with InputRoundEndedError']);
    expect(errors).toEqual([]);
  });

  it('does the same for a prompt that samples, and refuses a further ask from the abandoned run', async () => {
    const { server, seen, errors } = serverRecording();
    server.registerPrompt('quiz', {}, async (_args, ctx) => {
      try {
        await ctx.sample(question, 'capital');
      } catch (error) {
        // A run that ignores the reason and asks again gets the same answer at once.
        await ctx.elicit(nameForm, 'again').catch((again: unknown) => seen.push(again === error ? 'second ask refused alike' : 'second ask differed'));
        throw error;
      } finally {
        seen.push('finally');
      }
      return { messages: [] };
    });
    const response = await server.handle({ jsonrpc: '2.0', id: 1, method: 'prompts/get', params: { name: 'quiz', _meta: meta } }, env);
    expect(response).toMatchObject({ result: { resultType: 'input_required', inputRequests: { capital: { method: 'sampling/createMessage' } } } });
    await drained();
    expect(seen).toEqual(['second ask refused alike', 'finally']);
    expect(errors).toEqual([]);
  });

  it('still reports a failure of the cleanup itself to onError', async () => {
    const { server, errors } = serverRecording();
    const broken = new Error('could not release the lock');
    server.registerTool('sloppy', {}, async (_args, ctx) => {
      try {
        await ctx.elicit(nameForm, 'name');
      } finally {
        throw broken;
      }
    });
    const response = await server.handle({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'sloppy', _meta: meta } }, env);
    expect(response).toMatchObject({ result: { resultType: 'input_required' } });
    await drained();
    expect(errors).toEqual([broken]);
  });
});

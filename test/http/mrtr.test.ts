// MRTR round trips over HTTP: sealed requestState carries earlier answers, and every way of
// abusing it (tamper, replay, another call, expiry) gets a clear JSON-RPC error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMcpApp } from '../../src/http/index.ts';
import { createBehaviourServer, createProbe } from '../fixtures/behaviour-server.ts';
import { post, wire } from '../support/raw-client.ts';
import { expectAllValid } from '../support/recording-fetch.ts';
import { serveApp } from '../support/serve.ts';
import type { Served } from '../support/serve.ts';

let served: Served;
let clock = Date.now();
const probe = createProbe();

beforeAll(async () => {
  const keys = [{ id: 'k1', secret: 'a-test-secret-that-is-at-least-32-bytes-long' }];
  served = await serveApp((options) => createMcpApp(createBehaviourServer(probe, { requestState: { keys, ttlMs: 60_000, now: () => clock } }), options));
});
afterAll(() => served.close());

const caps = { elicitation: {} };
const accept = (content: Record<string, unknown>) => ({ action: 'accept', content });

async function call(params: Record<string, unknown>, capabilities = caps) {
  const response = await post(served.url, 'tools/call', { params: { name: 'ask', arguments: {}, ...params }, capabilities });
  return { status: response.status, body: await response.json() };
}

describe('MRTR over HTTP', () => {
  it('asks, resumes with the sealed answers of earlier rounds, and completes', async () => {
    const first = await call({});
    expect(first.body.result.resultType).toBe('input_required');
    expect(Object.keys(first.body.result.inputRequests)).toEqual(['name']);
    const second = await call({ inputResponses: { name: accept({ name: 'Ada' }) }, requestState: first.body.result.requestState });
    expect(Object.keys(second.body.result.inputRequests)).toEqual(['colour']);
    expect(second.body.result.requestState).not.toBe(first.body.result.requestState);
    // Round three sends only the colour: the name must come back out of the sealed state.
    const third = await call({ inputResponses: { colour: accept({ colour: 'green' }) }, requestState: second.body.result.requestState });
    expect(third.body.result.resultType).toBe('complete');
    expect(third.body.result.content[0].text).toBe('Ada likes green');
  });

  it('re-asks instead of completing when the answer has the wrong shape', async () => {
    const first = await call({});
    const retry = await call({ inputResponses: { name: 12345 }, requestState: first.body.result.requestState });
    expect(retry.body.result.resultType).toBe('input_required');
    expect(Object.keys(retry.body.result.inputRequests)).toEqual(['name']);
  });

  it('ignores answers to keys it did not ask for', async () => {
    const first = await call({});
    const retry = await call({ inputResponses: { colour: accept({ colour: 'red' }) }, requestState: first.body.result.requestState });
    expect(Object.keys(retry.body.result.inputRequests)).toEqual(['name']);
  });

  it.each([
    ['a tampered state', (state: string) => ({ requestState: `${state.slice(0, -4)}AAAA` })],
    ['a state for another tool', (state: string) => ({ name: 'regional', requestState: state })],
    ['a state for other arguments', (state: string) => ({ arguments: { extra: 1 }, requestState: state })],
    ['a state that is not a string', () => ({ requestState: 42 })],
  ])('refuses %s with -32602', async (_row, mutate) => {
    const first = await call({});
    const params = { inputResponses: { name: accept({ name: 'x' }) }, ...mutate(first.body.result.requestState) };
    const response = await post(served.url, 'tools/call', { params: { name: 'ask', arguments: {}, ...params }, capabilities: caps });
    const body = await response.json();
    expect(body.error.code).toBe(-32602);
    expect(body.error.message).toMatch(/requestState/);
  });

  it('refuses a replayed state: each one is single-use', async () => {
    const first = await call({});
    const retry = { inputResponses: { name: accept({ name: 'Ada' }) }, requestState: first.body.result.requestState };
    expect((await call(retry)).body.result.resultType).toBe('input_required');
    const replay = await call(retry);
    expect(replay.body.error.code).toBe(-32602);
    expect(replay.body.error.message).toContain('already used');
  });

  it('refuses an expired state', async () => {
    const first = await call({});
    clock += 61_000;
    const late = await call({ inputResponses: { name: accept({ name: 'Ada' }) }, requestState: first.body.result.requestState });
    expect(late.body.error.code).toBe(-32602);
    expect(late.body.error.message).toContain('expired');
  });

  it('unwinds the run it abandoned once input_required is out: the signal aborts, the pending elicit rejects, finally runs', async () => {
    const errors = probe.errors.length;
    const first = await call({ name: 'ask_then_clean_up' });
    expect(first.body.result.resultType).toBe('input_required');
    // Counted once the client holds the input_required result: the first run has ended.
    expect(probe.unwinding).toEqual(['signal aborted: InputRoundEndedError', 'elicit rejected: InputRoundEndedError', 'finally']);
    const second = await call({ name: 'ask_then_clean_up', inputResponses: { name: accept({ name: 'Ada' }) }, requestState: first.body.result.requestState });
    expect(second.body.result.content[0].text).toBe('Hello, Ada');
    expect(probe.unwinding.slice(3)).toEqual(['finally']);
    // Unwinding is how an abandoned run ends, not a failure: nothing reaches onError.
    expect(probe.errors.slice(errors)).toEqual([]);
  });

  it('answers 400 -32021 instead of asking a client that did not declare elicitation', async () => {
    const response = await post(served.url, 'tools/call', { params: { name: 'ask', arguments: {} }, capabilities: {} });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error.code).toBe(-32021);
    expect(body.error.data).toEqual({ requiredCapabilities: { elicitation: {} } });
  });
});

it('emitted only messages valid under the official schema of their revision', () => expectAllValid(wire, { atLeast: 5 }));

// Repeat-safe tools: a re-issued call with the same Idempotency-Key replays the stored result.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMcpApp } from '../../src/http/index.ts';
import { createBehaviourServer, createProbe } from '../fixtures/behaviour-server.ts';
import type { Probe } from '../fixtures/behaviour-server.ts';
import { post, wire } from '../support/raw-client.ts';
import { expectAllValid } from '../support/recording-fetch.ts';
import { serveApp } from '../support/serve.ts';
import type { Served } from '../support/serve.ts';

let probe: Probe;
let served: Served;

beforeAll(async () => {
  probe = createProbe();
  served = await serveApp((options) => createMcpApp(createBehaviourServer(probe), options));
});
afterAll(() => served.close());

async function charge(cents: number, key?: string) {
  const response = await post(served.url, 'tools/call', { params: { name: 'charge', arguments: { cents } }, headers: key ? { 'idempotency-key': key } : {} });
  return response.json();
}

describe('Idempotency-Key', () => {
  it('runs once and replays the stored result for the same key and arguments', async () => {
    const before = probe.charges;
    const first = await charge(500, 'order-42');
    const again = await charge(500, 'order-42');
    expect(probe.charges - before).toBe(1);
    expect(again.result.content).toEqual(first.result.content);
  });

  it('runs again without a key, or with a new one', async () => {
    const before = probe.charges;
    await charge(100);
    await charge(100);
    await charge(100, 'order-43');
    expect(probe.charges - before).toBe(3);
  });

  it('refuses a key reused with other arguments', async () => {
    await charge(700, 'order-44');
    const reused = await charge(701, 'order-44');
    expect(reused.error.code).toBe(-32602);
    expect(reused.error.message).toContain('other arguments');
  });

  it('refuses a malformed key', async () => {
    const response = await charge(1, 'x'.repeat(300));
    expect(response.error.code).toBe(-32602);
  });
});

it('emitted only messages valid under the official schema of their revision', () => expectAllValid(wire, { atLeast: 5 }));

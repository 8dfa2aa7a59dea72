import { describe, expect, it } from 'vitest';
import { createRequestStateSealer } from '../mrtr/request-state.ts';
import { ClientSessions } from './client-session.ts';

const keys = [{ id: 'k1', secret: 'a-test-secret-that-is-at-least-32-bytes-long' }];
const session = { protocolVersion: '2025-11-25', capabilities: { elicitation: {} }, clientInfo: { name: 'c', version: '1' } };

describe('sealed 2025 session ids', () => {
  it('opens on any instance holding the keys, and only for the caller it was issued to', async () => {
    const id = await new ClientSessions({ keys }).issue(session, 'alice');
    const elsewhere = new ClientSessions({ keys });
    expect(await elsewhere.open(id, 'alice')).toEqual(session);
    expect(await elsewhere.open(id, 'bob')).toBe('wrong-request');
    expect(await elsewhere.open(id, undefined)).toBe('wrong-request');
  });

  it('is not a requestState, and a requestState is not a session id, though both use the same keys', async () => {
    const sessions = new ClientSessions({ keys });
    const sealer = createRequestStateSealer({ keys });
    const requestState = await sealer.seal({ answers: {} }, { method: 'tools/call', name: 'initialize', args: undefined });
    expect(await sessions.open(requestState, undefined)).toBe('wrong-request');
    const id = await sessions.issue(session, undefined);
    expect(await sealer.open(id, { method: 'tools/call', name: 'Mcp-Session-Id', args: undefined })).toMatchObject({ ok: false, reason: 'wrong-request' });
  });

  it('lives for its own lifetime, not that of requestState', async () => {
    let now = 0;
    const sessions = new ClientSessions({ keys, ttlMs: 1_000, now: () => now }, 10_000);
    const id = await sessions.issue(session, undefined);
    now = 10_000;
    expect(await sessions.open(id, undefined)).toEqual(session);
    now = 10_001;
    expect(await sessions.open(id, undefined)).toBe('expired');
  });
});

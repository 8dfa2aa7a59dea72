// The official SDK clients on our transport (createSdkTransport): the SDK keeps the protocol
// (initialize or server/discover, MRTR, request handlers), our transport carries each message as
// one POST with the headers, session id and streams of the era the SDK chose.
import { Client as ClientV2 } from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSdkTransport } from '../../src/client/index.ts';
import { createDemoApp } from '../../src/demo/app.ts';
import { createMcpApp } from '../../src/http/index.ts';
import { createServer, jsonSchema } from '../../src/index.ts';
import { startSdkV1SessionServer } from '../fixtures/client-sdk-servers.ts';
import type { RunningServer } from '../fixtures/client-sdk-servers.ts';
import { serveApp } from '../support/serve.ts';
import type { Served } from '../support/serve.ts';
import { createWireLog } from './wire-log.ts';

let demo: Served;
let headers: Served;
let sessions: RunningServer;

beforeAll(async () => {
  demo = await serveApp((options) => createDemoApp(options));
  const server = createServer({ name: 'headers', version: '1.0.0' });
  server.registerTool('weather', { description: 'Forecast', inputSchema: jsonSchema({ type: 'object', properties: { region: { type: 'string', 'x-mcp-header': 'Region' } }, required: ['region'] }) }, (args) => ({
    content: [{ type: 'text', text: `forecast for ${String(args.region)}` }],
  }));
  headers = await serveApp((options) => createMcpApp(server, options));
  sessions = await startSdkV1SessionServer();
});
afterAll(async () => {
  await demo.close();
  await headers.close();
  await sessions.close();
});

function v2Client(answer: string) {
  const client = new ClientV2({ name: 'sdk2-on-our-transport', version: '1.0.0' }, { capabilities: { elicitation: {} }, versionNegotiation: { mode: 'auto' } });
  client.setRequestHandler('elicitation/create', async () => ({ action: 'accept', content: { name: answer } }));
  return client;
}

describe('SDK 1.x Client on createSdkTransport', () => {
  it('initializes, streams progress and answers a server-to-client elicitation (2025 lane of our server)', async () => {
    const wire = createWireLog();
    const client = new ClientV1({ name: 'sdk1-on-our-transport', version: '1.0.0' }, { capabilities: { elicitation: {} } });
    client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: { name: 'Ada' } }));
    await client.connect(createSdkTransport(demo.url, { fetch: wire.fetch }));
    try {
      expect(client.getServerVersion()?.name).toBe('stateless-mcp-demo');
      expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['echo', 'add', 'slow_stream', 'query_rows', 'greet']);
      const progress: number[] = [];
      await client.callTool({ name: 'slow_stream', arguments: { steps: 3, intervalMs: 10 } }, undefined, { onprogress: (p) => progress.push(p.progress) });
      expect(progress).toEqual([1, 2, 3]);
      expect((await client.callTool({ name: 'greet', arguments: {} })).content).toEqual([{ type: 'text', text: 'Hello, Ada!' }]);
      expect(wire.posts('tools/call')[0]!.headers.get('mcp-protocol-version')).toBe('2025-11-25');
      expect(wire.posts('tools/call')[0]!.headers.has('mcp-method')).toBe(false);
    } finally {
      await client.close();
    }
  });
});

describe('SDK 2.x Client (versionNegotiation auto) on createSdkTransport', () => {
  it('negotiates 2026-07-28 with our server, with headers mirrored from the body, and runs MRTR', async () => {
    const wire = createWireLog();
    const client = v2Client('Grace');
    await client.connect(createSdkTransport(demo.url, { fetch: wire.fetch }));
    try {
      expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
      expect((await client.callTool({ name: 'greet', arguments: {} })).content).toEqual([{ type: 'text', text: 'Hello, Grace!' }]);
      const [first, retry] = wire.posts('tools/call');
      expect(first!.headers.get('mcp-method')).toBe('tools/call');
      expect(first!.headers.get('mcp-name')).toBe('greet');
      expect(typeof retry!.body!.params!.requestState).toBe('string');
      expect(wire.posts('initialize')).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it('adds Mcp-Param-* headers learned from tools/list, which the server checks', async () => {
    const wire = createWireLog();
    const client = v2Client('unused');
    await client.connect(createSdkTransport(headers.url, { fetch: wire.fetch }));
    try {
      await client.listTools();
      expect((await client.callTool({ name: 'weather', arguments: { region: 'Zürich' } })).content).toEqual([{ type: 'text', text: 'forecast for Zürich' }]);
      expect(wire.posts('tools/call')[0]!.headers.get('mcp-param-region')).toMatch(/^=\?base64\?.+\?=$/);
    } finally {
      await client.close();
    }
  });

  it('falls back to initialize with a 1.x session server: the transport turns its 400 into an error the SDK probe reads', async () => {
    const wire = createWireLog();
    const client = v2Client('Linus');
    await client.connect(createSdkTransport(sessions.url, { fetch: wire.fetch }));
    try {
      expect(client.getNegotiatedProtocolVersion()).toBe('2025-11-25');
      expect((await client.callTool({ name: 'greet', arguments: {} })).content).toEqual([{ type: 'text', text: 'Hello, Linus!' }]);
      // The session's GET stream carries requests the server does not tie to a POST.
      expect((await client.callTool({ name: 'greet_later', arguments: {} }, { timeout: 5_000 })).content).toEqual([{ type: 'text', text: 'Hello later, Linus!' }]);
      const call = wire.posts('tools/call')[0]!;
      expect(call.headers.get('mcp-session-id')).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await client.close();
    }
  });
});

describe('createSdkTransport failures that no request carries', () => {
  it("reports a 2025 session's GET stream that cannot be opened to onerror", async () => {
    const fetch = async (_url: string | URL | Request, init?: RequestInit): Promise<Response> => {
      if (init?.method === 'GET') throw new TypeError('fetch failed');
      const message = JSON.parse(String(init?.body)) as { id?: number };
      if (message.id === undefined) return new Response(null, { status: 202 });
      const result = { protocolVersion: '2025-11-25', capabilities: {}, serverInfo: { name: 's', version: '1' } };
      return Response.json({ jsonrpc: '2.0', id: message.id, result }, { headers: { 'mcp-session-id': 'sess-1' } });
    };
    const transport = createSdkTransport('http://127.0.0.1:1/mcp', { fetch });
    const errors: Error[] = [];
    transport.onerror = (error) => errors.push(error);
    await transport.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} });
    await transport.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    await expect.poll(() => errors.length).toBe(1);
    expect(errors[0]).toMatchObject({ code: 'UNREACHABLE', message: expect.stringContaining('fetch failed') });
    await transport.close();
  });
});

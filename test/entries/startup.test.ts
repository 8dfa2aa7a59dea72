// What the Node launcher (`npm start`) and adapter say when they cannot start, and how they treat
// clients that misbehave at the socket: one line naming what to change and exit 1, never a stack.
import { execFile } from 'node:child_process';
import { createServer, connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { serve, ServeError } from '../../src/adapter/node.ts';
import { createMcpApp } from '../../src/http/index.ts';
import { createServer as createMcpServer } from '../../src/index.ts';
import { root } from '../support/processes.ts';

const run = promisify(execFile);

/** Runs the Node launcher with `env` to its exit; resolves with its exit code and output. */
async function launch(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', ['--import', 'tsx', 'src/demo/node.ts'], { cwd: root, env: { ...process.env, ...env }, timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

function expectOneLine(stderr: string, pattern: RegExp) {
  const lines = stderr.trim().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(stderr).not.toMatch(/^\s+at /m);
}

describe('npm start refuses a setting it cannot use', () => {
  it.each([
    ['PORT', { PORT: 'abc' }, /^stateless-mcp: PORT="abc" is not a port number: set PORT to an integer from 0 to 65535/],
    ['PORT', { PORT: '70000' }, /^stateless-mcp: PORT="70000" is not a port number/],
    ['REQUEST_STATE_KEYS', { PORT: '0', REQUEST_STATE_KEYS: 'no-colon-here' }, /^stateless-mcp: REQUEST_STATE_KEYS is not usable: .*Set it to "id:secret/],
    ['REQUEST_STATE_KEYS', { PORT: '0', REQUEST_STATE_KEYS: 'k1:short' }, /^stateless-mcp: REQUEST_STATE_KEYS is not usable: /],
    ['ALLOWED_HOSTS', { PORT: '0', ALLOWED_HOSTS: 'https://mcp.example.com/' }, /^stateless-mcp: ALLOWED_HOSTS has "https:\/\/mcp\.example\.com\/", which is not a host name/],
    ['ALLOWED_ORIGINS', { PORT: '0', ALLOWED_ORIGINS: 'app.example.com' }, /^stateless-mcp: ALLOWED_ORIGINS has "app\.example\.com", which is not an origin/],
    ['REQUEST_LOG', { PORT: '0', REQUEST_LOG: 'verbose' }, /^stateless-mcp: REQUEST_LOG="verbose" is not on or off/],
  ])('%s: one line naming it, exit 1', async (_name, env, message) => {
    const { code, stderr } = await launch(env);
    expect(code).toBe(1);
    expectOneLine(stderr, message);
  });

  it('a port in use: one line saying so, exit 1', async () => {
    const holder = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => holder.once('listening', resolve));
    try {
      const { port } = holder.address() as AddressInfo;
      const { code, stderr } = await launch({ PORT: String(port) });
      expect(code).toBe(1);
      expectOneLine(stderr, new RegExp(`^stateless-mcp: Port ${port} on 127\\.0\\.0\\.1 is already in use: stop the other server, or set PORT to another port`));
    } finally {
      holder.close();
    }
  });
});

describe('serve() from stateless-mcp/node', () => {
  const app = new Hono().post('/echo', async (c) => c.text(await c.req.text()));

  it('rejects with a ServeError that says what to do when the port is taken', async () => {
    const first = await serve(app, { port: 0, handleSignals: false, onListen: () => {} });
    try {
      const second = serve(app, { port: first.port, handleSignals: false, onListen: () => {} });
      await expect(second).rejects.toBeInstanceOf(ServeError);
      await expect(second).rejects.toThrow(/already in use: stop the other server, or choose another port/);
    } finally {
      await first.close();
    }
  });

  it('closes an MCP request whose body never finishes once requestTimeoutMs passes, logging nothing', async () => {
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    const mcpApp = createMcpApp(createMcpServer({ name: 'timeouts', version: '1' }), { log: false });
    const running = await serve(mcpApp, { port: 0, handleSignals: false, onListen: () => {}, requestTimeoutMs: 1_000, headersTimeoutMs: 1_000 });
    try {
      const socket = connect(running.port, '127.0.0.1');
      socket.write('POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"jsonrpc"');
      let answer = '';
      socket.on('data', (chunk) => (answer += chunk));
      await new Promise((resolve) => socket.once('close', resolve));
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
      expect(errors.map((e) => String(e).slice(0, 300))).toEqual([]);
    } finally {
      console.error = original;
      await running.close();
    }
  });

  it('refuses connections over maxConnections until one closes', async () => {
    const running = await serve(app, { port: 0, handleSignals: false, onListen: () => {}, maxConnections: 1 });
    try {
      const first = connect(running.port, '127.0.0.1');
      await new Promise((resolve) => first.once('connect', resolve));
      await expect.poll(async () => new Promise<number>((resolve) => running.server.getConnections((_e, n) => resolve(n)))).toBe(1);
      const second = connect(running.port, '127.0.0.1');
      second.write('POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n\r\nhi');
      let answered = '';
      second.on('data', (chunk) => (answered += chunk));
      await new Promise((resolve) => second.once('close', resolve));
      expect(answered).toBe('');
      first.destroy();
      await expect.poll(async () => new Promise<number>((resolve) => running.server.getConnections((_e, n) => resolve(n)))).toBe(0);
      const third = await fetch(`${running.url}/echo`, { method: 'POST', body: 'again' });
      expect(await third.text()).toBe('again');
    } finally {
      await running.close();
    }
  });

  it('shuts down gracefully: a request in flight finishes, then close() resolves', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = new Hono().get('/slow', async (c) => {
      await gate;
      return c.text('done');
    });
    const running = await serve(slow, { port: 0, handleSignals: false, onListen: () => {} });
    const inFlight = fetch(`${running.url}/slow`).then((response) => response.text());
    await expect.poll(async () => (await new Promise<number>((resolve) => running.server.getConnections((_e, n) => resolve(n))))).toBe(1);
    const closed = running.close();
    release();
    expect(await inFlight).toBe('done');
    await closed;
    expect(running.server.listening).toBe(false);
  });
});

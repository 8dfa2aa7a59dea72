// `stateless-mcp/node`: serve an app (a Hono app, e.g. `createMcpApp(server)`) on Node's HTTP
// server through @hono/node-server, with limits fit for the open internet instead of Node's
// defaults (a body that never finishes would otherwise hold its connection for 300 s) and a
// graceful shutdown. Listening errors reject with a message a person can act on.
// The adapter shape, as for every host we start: `serve(app, options)` takes the finished app (listen.ts).
import { createAdaptorServer } from '@hono/node-server';
import process from 'node:process';
import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { DEFAULT_HOSTNAME, DEFAULT_PORT, announce, guardLoopback } from './listen.ts';
import type { FetchApp, ListenAddress, ServeOptions } from './listen.ts';

export interface NodeServeOptions extends ServeOptions {
  /** Time a client has to send a whole request (headers and body), in ms. Default 30 000. */
  requestTimeoutMs?: number;
  /** Time a client has to send the request headers, in ms. Default 30 000 (at most `requestTimeoutMs`). */
  headersTimeoutMs?: number;
  /** Idle time before a kept-alive connection closes, in ms. Default 5 000. */
  keepAliveTimeoutMs?: number;
  /** Open connections at most; more are refused until some close. Default 1 024. */
  maxConnections?: number;
  /** How long a shutdown waits for requests in flight (open streams included), in ms. Default 10 000. */
  shutdownTimeoutMs?: number;
  /** Shut down on SIGINT and SIGTERM, then exit. Default true; false leaves signals to you (call `close()`). */
  handleSignals?: boolean;
  /** Shuts the server down when aborted. */
  signal?: AbortSignal;
}

export interface NodeServer extends ListenAddress {
  /** The underlying `http.Server`. */
  server: Server;
  /** Stops accepting, lets requests in flight finish (up to `shutdownTimeoutMs`), then closes every connection. */
  close(): Promise<void>;
}

/** A listening failure, with `code` from Node (`EADDRINUSE`, `EACCES`, …) and a message that says what to do. */
export class ServeError extends Error {
  override readonly name = 'ServeError';
  constructor(
    message: string,
    readonly code: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const DEFAULTS = { port: DEFAULT_PORT, hostname: DEFAULT_HOSTNAME, requestTimeoutMs: 30_000, headersTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000, maxConnections: 1024, shutdownTimeoutMs: 10_000 };

/**
 * Serves `app` and resolves once it listens.
 *
 * @example
 * import { createMcpApp } from 'stateless-mcp';
 * import { serve } from 'stateless-mcp/node';
 * const { url } = await serve(createMcpApp(server), { port: 3000 });
 */
export async function serve(app: FetchApp, options: NodeServeOptions = {}): Promise<NodeServer> {
  const settings = { ...DEFAULTS, ...definedOnly(options) };
  checkPort(settings.port);
  const serverOptions = {
    requestTimeout: settings.requestTimeoutMs,
    headersTimeout: Math.min(settings.headersTimeoutMs, settings.requestTimeoutMs),
    keepAliveTimeout: settings.keepAliveTimeoutMs,
    // Node only looks for expired requests this often (30 s by default), which would double the limit.
    connectionsCheckingInterval: Math.max(100, Math.min(settings.requestTimeoutMs, settings.headersTimeoutMs) / 4),
  };
  const server = createAdaptorServer({ fetch: guardLoopback(settings.hostname, app.fetch.bind(app)), hostname: settings.hostname, serverOptions }) as Server;
  server.maxConnections = settings.maxConnections;
  // A client that sends garbage or leaves mid-request is the client's problem: answer 400 if the
  // socket still takes it, never print a stack for it.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (socket.writable && error.code !== 'ECONNRESET') {
      const status = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    }
    socket.destroy();
  });

  await listen(server, settings.port, settings.hostname);
  const { port } = server.address() as AddressInfo;

  let closing: Promise<void> | undefined;
  const close = () => (closing ??= shutdown(server, settings.shutdownTimeoutMs));
  if (settings.handleSignals !== false) {
    const onSignal = () => void close().then(() => process.exit(0));
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    server.once('close', () => (process.off('SIGINT', onSignal), process.off('SIGTERM', onSignal)));
  }
  if (options.signal) {
    if (options.signal.aborted) void close();
    else options.signal.addEventListener('abort', () => void close(), { once: true });
  }
  return { ...announce(options, settings.hostname, port), server, close };
}

function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}

function checkPort(port: number): void {
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new ServeError(`Port ${JSON.stringify(port)} is not a port number: use an integer from 0 to 65535 (0 picks a free port).`, 'ERR_SOCKET_BAD_PORT');
  }
}

function listen(server: Server, port: number, hostname: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(new ServeError(listenFailure(error, port, hostname), error.code, { cause: error }));
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, hostname);
  });
}

function listenFailure(error: NodeJS.ErrnoException, port: number, hostname: string): string {
  switch (error.code) {
    case 'EADDRINUSE':
      return `Port ${port} on ${hostname} is already in use: stop the other server, or choose another port (0 picks a free one).`;
    case 'EACCES':
      return `Not allowed to listen on port ${port}: ports below 1024 need privileges; choose a port from 1024 up.`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return `Cannot listen on "${hostname}": it is not an address of this machine. Use 127.0.0.1 for this machine only, or 0.0.0.0 for every interface.`;
    default:
      return `Cannot listen on ${hostname}:${port}: ${error.message}`;
  }
}

async function shutdown(server: Server, timeoutMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
  await Promise.race([closed, timedOut]);
  clearTimeout(timer);
  // Streams still open (a listen subscription, a slow call) end now, so close() always returns.
  server.closeAllConnections();
  await closed;
}

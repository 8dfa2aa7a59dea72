// A local Lambda: execution environments running the function in AWS's own runtime interface
// client (aws-lambda-ric), each fed by its own Runtime API (the documented HTTP protocol between
// Lambda and a runtime: GET /2018-06-01/runtime/invocation/next, POST …/response and …/error,
// buffered or streamed with `Lambda-Runtime-Function-Response-Mode: streaming`), and an HTTP
// front that turns each request into the event of a Function URL (payload 2.0) or an API Gateway
// REST API (payload 1.0) and sends the result back. As Lambda does by default, an environment
// takes one invocation at a time, and more environments start while all are busy.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { root } from '../support/processes.ts';

/** The streamed response's prelude ends with 8 NUL bytes (HttpResponseStream in aws-lambda-ric). */
const PRELUDE_END = Buffer.alloc(8);
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer']);

/** aws-lambda-ric's runtime (needs Node >= 22: the `node` devDependency's binary runs it). */
export function findRuntimeInterfaceClient(): string {
  const path = process.env.AWS_LAMBDA_RIC ?? `${root}node_modules/aws-lambda-ric/index.mjs`;
  if (!existsSync(path)) {
    throw new Error(`aws-lambda-ric not found at ${path}: add the "aws-lambda-ric" devDependency (npm i -D aws-lambda-ric; its install builds a native addon with cmake, make and g++) or set AWS_LAMBDA_RIC to its index.mjs.`);
  }
  return path;
}

export type EventFormat = 'function-url' | 'rest-api';

export interface LocalLambdaOptions {
  /** Folder holding the bundled function (LAMBDA_TASK_ROOT). */
  taskRoot: string;
  /** `file.export`, as Lambda's Handler setting. */
  handler: string;
  format: EventFormat;
  /** The function's timeout: an invocation's deadline is this far after an environment takes it. Default 3000, Lambda's own default. */
  timeoutMs?: number;
  /** Environments started before the first request (provisioned concurrency). Default 1. */
  provisioned?: number;
  /** Most environments at once (reserved concurrency). Default 10. */
  maxEnvironments?: number;
  /** The function's environment variables, knowing the front's port (for a Host allow-list). */
  env?: (port: number) => Record<string, string>;
}

export interface LocalLambda {
  /** The front's URL for `path`. */
  url(path: string): string;
  port: number;
  invocations(): number;
  /** Execution environments started so far. */
  environments(): number;
  output(): string;
  stop(): Promise<void>;
}

interface Invocation {
  id: string;
  event: unknown;
  client: ServerResponse;
}

interface Environment {
  runtimeApi: Server;
  child?: ChildProcess;
  exited?: Promise<void>;
  /** The runtime's pending GET …/invocation/next: set while the environment is idle. */
  waiting?: ServerResponse;
  ready: Promise<void>;
}

/** Starts the front and the provisioned environments; resolves once each asked for work. */
export async function startLocalLambda(options: LocalLambdaOptions): Promise<LocalLambda> {
  const ric = findRuntimeInterfaceClient();
  const maxEnvironments = options.maxEnvironments ?? 10;
  const timeoutMs = options.timeoutMs ?? 3_000;
  const queue: Invocation[] = [];
  const inFlight = new Map<string, Invocation>();
  const environments: Environment[] = [];
  let starting = 0;
  let count = 0;
  let output = '';
  let stopped = false;

  function dispatch(): void {
    while (queue.length > 0) {
      const idle = environments.find((environment) => environment.waiting);
      if (!idle) break;
      const invocation = queue.shift()!;
      inFlight.set(invocation.id, invocation);
      watchTimeout(invocation);
      const next = idle.waiting!;
      idle.waiting = undefined;
      // As on Lambda, the timeout runs from when an environment takes the invocation: time spent
      // queued while environments start does not count against it.
      next.writeHead(200, {
        'content-type': 'application/json',
        'lambda-runtime-aws-request-id': invocation.id,
        'lambda-runtime-deadline-ms': String(Date.now() + timeoutMs),
        'lambda-runtime-invoked-function-arn': 'arn:aws:lambda:us-east-1:123456789012:function:stateless-mcp',
        'lambda-runtime-trace-id': `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomUUID().replaceAll('-', '').slice(0, 24)};Sampled=0`,
      });
      next.end(JSON.stringify(invocation.event));
    }
    // All busy: start more environments, as Lambda scales out, one per waiting invocation.
    while (!stopped && queue.length > starting && environments.length < maxEnvironments) {
      startEnvironment().catch((error: unknown) => (output += `\n[scale out] ${String(error)}`));
    }
  }

  /**
   * As Lambda ends an invocation at its timeout, the front answers one still unanswered a second
   * after it (API Gateway's 504), and says so in the output, so a stuck call fails with a reason.
   */
  function watchTimeout(invocation: Invocation): void {
    setTimeout(() => {
      if (!inFlight.delete(invocation.id)) return;
      output += `\n[timeout] invocation ${invocation.id} was not answered within its ${timeoutMs} ms timeout`;
      if (!invocation.client.headersSent) sendJson(invocation.client, 504, { message: 'Endpoint request timed out' });
      else invocation.client.destroy();
    }, timeoutMs + 1_000).unref();
  }

  function runtimeApiHandler(environment: Environment, markReady: () => void) {
    return (req: IncomingMessage, res: ServerResponse) => {
      const url = req.url ?? '';
      if (req.method === 'GET' && url === '/2018-06-01/runtime/invocation/next') {
        environment.waiting = res;
        // A poll whose connection closed cannot take an invocation: it would be lost, unanswered.
        res.once('close', () => {
          if (environment.waiting === res) environment.waiting = undefined;
        });
        markReady();
        dispatch();
        return;
      }
      const match = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(url);
      const invocation = match ? inFlight.get(decodeURIComponent(match[1]!)) : undefined;
      if (!match || !invocation) {
        // Init errors and anything unexpected: kept for the failure message.
        void readAll(req).then((body) => {
          output += `\n[runtime api] ${req.method} ${url}: ${body.toString()}`;
          res.writeHead(url.endsWith('/init/error') ? 202 : 404).end();
        });
        return;
      }
      inFlight.delete(invocation.id);
      const accepted = () => res.writeHead(202, { 'content-type': 'application/json' }).end('{"status":"OK"}');
      if (match[2] === 'error') {
        void readAll(req).then((body) => {
          output += `\n[invocation error] ${body.toString()}`;
          sendJson(invocation.client, 502, { message: 'Internal Server Error' });
          accepted();
        });
      } else if (req.headers['lambda-runtime-function-response-mode'] === 'streaming') {
        streamToClient(req, invocation.client, accepted);
      } else {
        void readAll(req).then((body) => {
          sendResult(invocation.client, JSON.parse(body.toString()) as unknown);
          accepted();
        });
      }
    };
  }

  async function startEnvironment(): Promise<void> {
    starting++;
    let markReady!: () => void;
    const environment: Environment = { runtimeApi: undefined as unknown as Server, ready: new Promise((resolve) => (markReady = resolve)) };
    environment.runtimeApi = createServer(runtimeApiHandler(environment, markReady));
    environments.push(environment);
    const runtimePort = await listen(environment.runtimeApi);
    const child = spawn(`${root}node_modules/.bin/node`, [ric], {
      cwd: options.taskRoot,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH,
        AWS_LAMBDA_RUNTIME_API: `127.0.0.1:${runtimePort}`,
        LAMBDA_TASK_ROOT: options.taskRoot,
        _HANDLER: options.handler,
        AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
        AWS_LAMBDA_FUNCTION_NAME: 'stateless-mcp',
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
        AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/stateless-mcp',
        AWS_LAMBDA_LOG_STREAM_NAME: `local-${environments.length}`,
        AWS_REGION: 'us-east-1',
        TZ: ':UTC',
        ...options.env?.(frontPort),
      },
    });
    environment.child = child;
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    environment.exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const started = await Promise.race([
      environment.ready.then(() => true),
      environment.exited.then(() => false),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), 20_000).unref()),
    ]);
    starting--;
    if (!started) throw new Error(`aws-lambda-ric did not ask for an invocation. Output:\n${output}`);
  }

  const front = createServer((req, res) => {
    void readAll(req).then((body) => {
      count++;
      const event = options.format === 'function-url' ? functionUrlEvent(req, body) : restApiEvent(req, body);
      queue.push({ id: randomUUID(), event, client: res });
      dispatch();
    });
  });
  const frontPort = await listen(front);

  const lambda: LocalLambda = {
    url: (path) => `http://127.0.0.1:${frontPort}${path}`,
    port: frontPort,
    invocations: () => count,
    environments: () => environments.length,
    output: () => output,
    async stop() {
      stopped = true;
      await Promise.all(environments.map(async (environment) => {
        if (environment.child) await stopChild(environment.child, environment.exited!);
        environment.waiting?.destroy();
        await close(environment.runtimeApi);
      }));
      await close(front);
    },
  };

  try {
    await Promise.all(Array.from({ length: options.provisioned ?? 1 }, () => startEnvironment()));
  } catch (error) {
    await lambda.stop();
    throw error;
  }
  return lambda;
}

/** Payload 2.0 as a Function URL sends it: lower-case headers, cookies apart, text bodies as text. */
export function functionUrlEvent(req: IncomingMessage, body: Buffer) {
  const url = new URL(req.url ?? '/', 'http://front');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || name === 'cookie') continue;
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  Object.assign(headers, forwardedHeaders(req));
  const cookies = req.headers.cookie?.split(';').map((cookie) => cookie.trim());
  const now = new Date();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies ? { cookies } : {}),
    headers,
    ...(url.search ? { queryStringParameters: Object.fromEntries(url.searchParams) } : {}),
    requestContext: {
      accountId: 'anonymous',
      apiId: 'a1b2c3d4e5f6g7h8i9j0k1l2m3',
      domainName: req.headers.host ?? '',
      domainPrefix: 'a1b2c3d4e5f6g7h8i9j0k1l2m3',
      http: { method: req.method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: req.headers['user-agent'] ?? '' },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...encodeBody(body, headers['content-type']),
  };
}

/** Payload 1.0 as a REST API proxy integration sends it: headers as the client cased them, and multi-value too. */
export function restApiEvent(req: IncomingMessage, body: Buffer) {
  const url = new URL(req.url ?? '/', 'http://front');
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    if (HOP_BY_HOP.has(name.toLowerCase())) continue;
    headers[name] = req.rawHeaders[i + 1]!;
    (multiValueHeaders[name] ??= []).push(req.rawHeaders[i + 1]!);
  }
  for (const [name, value] of Object.entries(forwardedHeaders(req))) {
    headers[name] = value;
    multiValueHeaders[name] = [value];
  }
  const query = [...url.searchParams.keys()].length ? url.searchParams : undefined;
  const now = Date.now();
  return {
    resource: '/{proxy+}',
    path: url.pathname,
    httpMethod: req.method,
    headers,
    multiValueHeaders,
    queryStringParameters: query ? Object.fromEntries(query) : null,
    multiValueQueryStringParameters: query ? Object.fromEntries([...new Set(query.keys())].map((key) => [key, query.getAll(key)])) : null,
    pathParameters: { proxy: url.pathname.slice(1) },
    stageVariables: null,
    requestContext: {
      resourceId: 'abc123',
      resourcePath: '/{proxy+}',
      httpMethod: req.method,
      extendedRequestId: randomUUID(),
      requestTime: new Date(now).toUTCString(),
      path: `/prod${url.pathname}`,
      accountId: '123456789012',
      protocol: 'HTTP/1.1',
      stage: 'prod',
      domainPrefix: 'api',
      requestTimeEpoch: now,
      requestId: randomUUID(),
      identity: { sourceIp: '127.0.0.1', userAgent: req.headers['user-agent'] ?? null },
      domainName: req.headers.host ?? '',
      apiId: 'api',
    },
    ...encodeBody(body, req.headers['content-type']),
  };
}

function forwardedHeaders(req: IncomingMessage): Record<string, string> {
  return { 'x-forwarded-for': '127.0.0.1', 'x-forwarded-proto': 'http', 'x-forwarded-port': String(req.socket.localPort) };
}

function encodeBody(body: Buffer, contentType: string | undefined): { body: string | null; isBase64Encoded: boolean } {
  if (body.length === 0) return { body: null, isBase64Encoded: false };
  const text = !contentType || /^text\/|json|xml|javascript|x-www-form-urlencoded/i.test(contentType);
  return text ? { body: body.toString('utf8'), isBase64Encoded: false } : { body: body.toString('base64'), isBase64Encoded: true };
}

/** A buffered result, by the rules of payload 1.0 and 2.0 (2.0 also takes a bare JSON value as a 200). */
function sendResult(client: ServerResponse, result: unknown): void {
  if (typeof result !== 'object' || result === null || !('statusCode' in result)) {
    sendJson(client, 200, result);
    return;
  }
  const { statusCode, headers = {}, multiValueHeaders = {}, cookies = [], body = '', isBase64Encoded } = result as {
    statusCode: number;
    headers?: Record<string, string>;
    multiValueHeaders?: Record<string, string[]>;
    cookies?: string[];
    body?: string;
    isBase64Encoded?: boolean;
  };
  const out: Record<string, string | string[]> = { ...headers, ...multiValueHeaders };
  if (cookies.length) out['set-cookie'] = cookies;
  client.writeHead(statusCode, out);
  client.end(isBase64Encoded ? Buffer.from(body, 'base64') : body);
}

/** A streamed result: the JSON prelude (status, headers, cookies) up to 8 NUL bytes, then the body as it comes. */
function streamToClient(req: IncomingMessage, client: ServerResponse, accepted: () => void): void {
  const integration = req.headers['content-type'] === 'application/vnd.awslambda.http-integration-response';
  let head: Buffer | undefined = integration ? Buffer.alloc(0) : undefined;
  if (!integration) client.writeHead(200, { 'content-type': req.headers['content-type'] ?? 'application/octet-stream' });
  req.on('data', (chunk: Buffer) => {
    if (head === undefined) {
      client.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf(PRELUDE_END);
    if (end === -1) return;
    const prelude = JSON.parse(head.subarray(0, end).toString()) as { statusCode?: number; headers?: Record<string, string>; cookies?: string[] };
    const headers: Record<string, string | string[]> = { ...prelude.headers };
    if (prelude.cookies?.length) headers['set-cookie'] = prelude.cookies;
    client.writeHead(prelude.statusCode ?? 200, headers);
    const rest = head.subarray(end + PRELUDE_END.length);
    head = undefined;
    if (rest.length) client.write(rest);
  });
  req.on('end', () => {
    // Trailers name an error the function threw mid-stream: Lambda then cuts the response.
    if (req.trailers['lambda-runtime-function-error-type']) client.destroy();
    else client.end();
    accepted();
  });
}

function sendJson(client: ServerResponse, status: number, value: unknown): void {
  client.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
}

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  process.kill(-child.pid!, 'SIGTERM');
  const killer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 5_000);
  await exited;
  clearTimeout(killer);
}

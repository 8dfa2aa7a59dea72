// Scale-out without affinity: redis-server, three server processes sharing it (and the sealing
// keys), and nginx round-robin in front. What a client needs across requests must survive landing
// on any instance: listen streams get changes made elsewhere, MRTR rounds finish elsewhere, a
// replayed requestState is refused everywhere, and one rate limit holds across all three.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RATE_LIMITED_CODE } from '../../src/http/index.ts';
import { RedisBus } from '../../src/redis/index.ts';
import type { ServerEvent } from '../../src/store/store.ts';
import { expectScoredScenariosPassed, expectedFailuresFile, runConformance } from '../conformance/run-conformance.ts';
import { freePorts, startProcess } from '../support/processes.ts';
import type { Running } from '../support/processes.ts';
import { post, postRaw, readMessages } from '../support/raw-client.ts';
import { startNginx } from './nginx.ts';
import type { Nginx } from './nginx.ts';
import { startRedis } from './redis-server.ts';
import type { RedisServer } from './redis-server.ts';
import { describeWith, findTool } from './tools.ts';

interface Node {
  name: string;
  url: string;
  process: Running;
}

// Every instance seals and opens requestState with the same key: 32 random bytes, base64.
const KEYS = 'k1:5cx+lOpq6t3UijlYpGgioJE8szZ93cTgNSyb4pndr6c=';
const caps = { elicitation: {} };
const taskCaps = { elicitation: {}, extensions: { 'io.modelcontextprotocol/tasks': {} } };
// Requests with `x-rate-limited` share this many per minute, across all three nodes.
const RATE_LIMIT_MAX = 6;

/** `scenario: check` for each failed check in a conformance `--output-dir`. */
function failedChecks(dir: string): string[] {
  return readdirSync(dir).flatMap((run) => {
    const scenario = run.replace(/^server-/, '').replace(/-\d{4}-\d\d-\d\dT[\d-]+Z$/, '');
    const checks = JSON.parse(readFileSync(join(dir, run, 'checks.json'), 'utf8')) as { id: string; status: string }[];
    return checks.filter((check) => check.status === 'FAILURE').map((check) => `${scenario}: ${check.id}`);
  });
}

/** Rejects when `promise` takes longer than `ms`, naming what never came. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not arrive within ${ms} ms`)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

async function callTool(node: Node, params: Record<string, unknown>) {
  const response = await post(node.url, 'tools/call', { params: { arguments: {}, ...params }, capabilities: caps });
  expect(response.headers.get('x-cluster-node')).toBe(node.name);
  return (await response.json()) as { result?: Record<string, any>; error?: { code: number; message: string } };
}

describeWith([findTool('redis-server')], 'three instances sharing one Redis', (paths) => {
  let redis: RedisServer;
  let raw: Redis;
  const nodes: Node[] = [];
  let nginxPort: number;
  let nodePorts: number[];

  beforeAll(async () => {
    const ports = await freePorts(4);
    nginxPort = ports[0]!;
    nodePorts = ports.slice(1);
    redis = await startRedis(paths['redis-server']!);
    raw = new Redis(redis.url);
    // Each node is recorded as soon as it runs, so afterAll stops it even if a sibling fails to start.
    await Promise.all(
      nodePorts.map(async (port, i) => {
        const name = `node-${i + 1}`;
        const env = {
          PORT: String(port),
          NODE_NAME: name,
          REDIS_URL: redis.url,
          REQUEST_STATE_KEYS: KEYS,
          // The load balancer passes the client's Host on; every node must accept nginx's name.
          EXTRA_ALLOWED_HOSTS: `127.0.0.1:${nginxPort},localhost:${nginxPort}`,
          RATE_LIMIT: `${RATE_LIMIT_MAX}/60000`,
        };
        const started = await startProcess(process.execPath, ['--import', 'tsx', 'test/fixtures/cluster-server.ts'], { ready: /MCP server listening/, env, timeoutMs: 45_000 });
        nodes[i] = { name, url: `http://127.0.0.1:${port}/mcp`, process: started };
      }),
    );
  }, 90_000);

  afterAll(async () => {
    await Promise.all(nodes.filter(Boolean).map((node) => node.process.stop()));
    raw?.disconnect();
    await redis?.stop();
  });

  it('delivers a tools/list_changed triggered on one instance to listen streams on the others, through Redis', async () => {
    const [a, b, c] = nodes as [Node, Node, Node];
    const tap = new RedisBus(redis.url);
    await tap.ready();
    const onRedis: ServerEvent[] = [];
    tap.subscribe((event) => onRedis.push(event));
    const controller = new AbortController();
    try {
      const streams = await Promise.all(
        [a, c].map(async (node) => {
          const id = `listen-on-${node.name}`;
          const response = await post(node.url, 'subscriptions/listen', { id, params: { notifications: { toolsListChanged: true } }, signal: controller.signal });
          expect(response.headers.get('x-cluster-node')).toBe(node.name);
          const messages = readMessages(response);
          const ack = await within(messages.next(), 5_000, `the acknowledgement on ${node.name}`);
          expect(ack.value).toMatchObject({ method: 'notifications/subscriptions/acknowledged', params: { notifications: { toolsListChanged: true } } });
          return { id, messages, node };
        }),
      );

      const trigger = await callTool(b, { name: 'test_trigger_tool_change' });
      expect(trigger.result?.content).toEqual([{ type: 'text', text: 'tools/list_changed sent' }]);

      for (const { id, messages, node } of streams) {
        const next = await within(messages.next(), 5_000, `tools/list_changed on ${node.name}`);
        expect(next.value).toEqual({ jsonrpc: '2.0', method: 'notifications/tools/list_changed', params: { _meta: { 'io.modelcontextprotocol/subscriptionId': id } } });
      }
      // It travelled over the Redis channel, not through anything the nodes share in-process.
      expect(onRedis).toEqual([{ type: 'tools/list_changed' }]);
    } finally {
      controller.abort();
      await tap.close();
    }
  });

  it('completes an MRTR round trip across instances and refuses its replay on a third', async () => {
    const [a, b, c] = nodes as [Node, Node, Node];
    const claimsBefore = new Set(await raw.keys('mcp:claim:requestState:*'));

    const first = await callTool(a, { name: 'test_input_required_result_elicitation' });
    expect(first.result?.resultType).toBe('input_required');
    expect(Object.keys(first.result?.inputRequests ?? {})).toEqual(['user_name']);
    const requestState = first.result?.requestState as string;
    expect(requestState).toEqual(expect.any(String));

    const answer = { name: 'test_input_required_result_elicitation', inputResponses: { user_name: { action: 'accept', content: { name: 'Ada' } } }, requestState };
    const second = await callTool(b, answer);
    expect(second.error).toBeUndefined();
    expect(second.result).toMatchObject({ resultType: 'complete', content: [{ type: 'text', text: 'Hello, Ada!' }] });

    const replay = await callTool(c, answer);
    expect(replay.result).toBeUndefined();
    expect(replay.error?.code).toBe(-32602);
    expect(replay.error?.message).toContain('already used');

    // Exactly one new single-use record, in Redis, expiring with the sealed state (10 min default).
    const added = (await raw.keys('mcp:claim:requestState:*')).filter((key) => !claimsBefore.has(key));
    expect(added).toHaveLength(1);
    const ttl = await raw.pttl(added[0]!);
    expect(ttl).toBeGreaterThan(9 * 60_000);
    expect(ttl).toBeLessThanOrEqual(10 * 60_000);
  });

  it('routes a 2025-lane elicitation answer that reaches another instance to the waiting handler, through Redis', async () => {
    const [a, b, c] = nodes as [Node, Node, Node];
    // The session id sealed by one instance tells the others what the client declared.
    const init = await postRaw(c.url, { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: caps, clientInfo: { name: 'cluster', version: '1' } } }, {});
    const LEGACY = { 'mcp-protocol-version': '2025-11-25', 'mcp-session-id': init.headers.get('mcp-session-id')! };
    await init.body?.cancel();
    const response = await postRaw(a.url, { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'test_elicitation', arguments: { message: 'Who are you?' } } }, LEGACY);
    expect(response.headers.get('x-cluster-node')).toBe(a.name);
    const content = { username: 'ada', email: 'ada@example.com' };
    let answer: Record<string, unknown> | undefined;
    let text: string | undefined;
    for await (const message of readMessages(response)) {
      if (message.method === 'elicitation/create') {
        expect(message.params.message).toBe('Who are you?');
        answer = { jsonrpc: '2.0', id: message.id, result: { action: 'accept', content } };
        // A round-robin balancer sends the client's answer to another instance.
        const reply = await postRaw(b.url, answer, LEGACY);
        expect(reply.headers.get('x-cluster-node')).toBe(b.name);
        expect(reply.status).toBe(202);
      } else if (message.id === 7) {
        text = message.result.content[0].text;
      }
    }
    expect(text).toBe(`User response: action=accept, content=${JSON.stringify(content)}`);
    // Once answered nobody waits on that id: a repeated answer is refused wherever it lands.
    await expect.poll(() => postRaw(c.url, answer, LEGACY).then((r) => r.status)).toBe(400);
  });

  it('runs a task on one instance while the others read it, take its input and see it finish', async () => {
    const [a, b, c] = nodes as [Node, Node, Node];
    const send = async (node: Node, method: string, params: Record<string, unknown>) => {
      // tasks/* name their task in the Mcp-Name header too.
      const headers: Record<string, string> = typeof params.taskId === 'string' ? { 'mcp-name': params.taskId } : {};
      const response = await post(node.url, method, { params, capabilities: taskCaps, headers });
      expect(response.headers.get('x-cluster-node')).toBe(node.name);
      return ((await response.json()) as { result: Record<string, any> }).result;
    };
    const created = await send(a, 'tools/call', { name: 'confirm_delete', arguments: {} });
    expect(created).toMatchObject({ resultType: 'task', status: 'working' });
    const taskId = created.taskId as string;
    // Its status changes reach a listen stream on an instance that does not run it.
    const controller = new AbortController();
    const listening = await post(b.url, 'subscriptions/listen', { id: 'tasks', params: { notifications: { taskIds: [taskId] } }, capabilities: taskCaps, signal: controller.signal });
    const pushed = readMessages(listening);
    expect((await within(pushed.next(), 5_000, 'the acknowledgement')).value).toMatchObject({ params: { notifications: { taskIds: [taskId] } } });

    await expect.poll(async () => (await send(b, 'tasks/get', { taskId })).status, { timeout: 5_000 }).toBe('input_required');
    const waiting = await send(c, 'tasks/get', { taskId });
    const keys = Object.keys(waiting.inputRequests);
    expect(keys).toHaveLength(1);
    expect(waiting.inputRequests[keys[0]!]).toMatchObject({ method: 'elicitation/create', params: { message: 'Delete everything?' } });

    await send(c, 'tasks/update', { taskId, inputResponses: { [keys[0]!]: { action: 'accept', content: { confirm: true } } } });
    await expect.poll(async () => (await send(b, 'tasks/get', { taskId })).status, { timeout: 5_000 }).toBe('completed');
    expect((await send(c, 'tasks/get', { taskId })).result.content).toEqual([{ type: 'text', text: 'deleted' }]);
    const statuses: string[] = [];
    while (statuses.at(-1) !== 'completed') {
      const { value } = await within(pushed.next(), 5_000, 'a notifications/tasks with status completed');
      expect(value).toMatchObject({ method: 'notifications/tasks', params: { taskId } });
      statuses.push(value.params.status);
    }
    // Answered elsewhere, the runner went back to work, then finished (input_required may precede).
    expect(statuses.slice(-2)).toEqual(['working', 'completed']);
    controller.abort();
  });

  describeWith([findTool('nginx')], 'behind nginx round-robin', (nginxPaths) => {
    let nginx: Nginx;
    beforeAll(async () => {
      nginx = await startNginx(nginxPaths.nginx!, nginxPort, nodePorts);
    });
    afterAll(() => nginx?.stop());

    it('spreads consecutive requests over all three instances, with no affinity', async () => {
      const served: string[] = [];
      for (let i = 0; i < 6; i++) {
        const response = await post(nginx.url, 'server/discover');
        expect(response.status).toBe(200);
        served.push(response.headers.get('x-cluster-node') ?? 'none');
        await response.body?.cancel();
      }
      expect(served.slice(0, 3).sort()).toEqual(['node-1', 'node-2', 'node-3']);
      expect(served.slice(3)).toEqual(served.slice(0, 3));
    });

    it('enforces one rate limit shared by the three instances: exactly max requests pass, the rest get 429 with Retry-After', async () => {
      const extra = 4;
      // All at once, so the nodes count concurrently; each forges a different first X-Forwarded-For
      // entry, which must not matter: nginx appends the address it saw, and that one is counted.
      const responses = await Promise.all(
        Array.from({ length: RATE_LIMIT_MAX + extra }, (_, i) =>
          post(nginx.url, 'tools/call', { id: i, params: { name: 'test_simple_text', arguments: {} }, headers: { 'x-rate-limited': '1', 'x-forwarded-for': `198.51.100.${i}` } }),
        ),
      );
      const outcomes = await Promise.all(
        responses.map(async (response) => ({ status: response.status, node: response.headers.get('x-cluster-node'), retryAfter: response.headers.get('retry-after'), body: await response.json() })),
      );
      const passed = outcomes.filter((o) => o.status === 200);
      const refused = outcomes.filter((o) => o.status === 429);
      expect(passed).toHaveLength(RATE_LIMIT_MAX);
      expect(refused).toHaveLength(extra);
      // Round-robin gives each node at most 4 of the 10: the passes came from more than one node.
      expect(new Set(outcomes.map((o) => o.node))).toEqual(new Set(['node-1', 'node-2', 'node-3']));
      expect(new Set(passed.map((o) => o.node)).size).toBeGreaterThan(1);
      for (const { retryAfter, body } of refused) {
        expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
        expect(Number(retryAfter)).toBeLessThanOrEqual(60);
        expect(body.error.code).toBe(RATE_LIMITED_CODE);
        expect(body.error.message).toBe(`Too many requests: this caller may send ${RATE_LIMIT_MAX} requests per 60 s. Retry after ${retryAfter} s.`);
      }
      // One counter, in Redis, for the address nginx saw.
      expect(await raw.get('mcp:hits:ratelimit:caller:address:127.0.0.1')).toBe(String(RATE_LIMIT_MAX + extra));
    });

    it('passes every scored 2026-07-28 conformance scenario through nginx, spread over the instances', { timeout: 240_000 }, async () => {
      const before = nginx.upstreams().length;
      const run = await runConformance(nginx.url, ['--requirements', '2026-07-28', '--expected-failures', expectedFailuresFile('2026-07-28')]);
      expectScoredScenariosPassed(run);
      const upstreams = nginx.upstreams().slice(before);
      const share = (port: number) => upstreams.filter((u) => u === `127.0.0.1:${port}`).length;
      expect(upstreams.length).toBeGreaterThan(60);
      // Round-robin: each instance served about a third of the suite's requests.
      for (const port of nodePorts) expect(share(port), `requests proxied to port ${port}`).toBeGreaterThan(upstreams.length / 5);
    });

    it('passes the whole suite (tasks included) and the 2025-11-25 one (server-to-client answers routed) through nginx', { timeout: 240_000 }, async () => {
      const results = mkdtempSync(join(tmpdir(), 'stateless-mcp-conformance-'));
      try {
        const all = await runConformance(nginx.url, ['--suite', 'all', '--output-dir', results]);
        const tasks = [...all.scenarios].filter(([name]) => name.startsWith('tasks-'));
        expect(tasks.length).toBeGreaterThanOrEqual(10);
        // One result folder per scenario, so the check list below cannot come back empty by mistake.
        expect(readdirSync(results)).toHaveLength(all.scenarios.size);
        expect(failedChecks(results), all.output.slice(-3000)).toEqual([]);
        expect(all.exitCode).toBe(0);
      } finally {
        rmSync(results, { recursive: true, force: true });
      }

      const legacy = await runConformance(nginx.url, ['--suite', 'all', '--spec-version', '2025-11-25', '--expected-failures', expectedFailuresFile('2025-11-25')]);
      expect(legacy.output).toContain('Baseline check passed');
      expect(legacy.exitCode, legacy.output.slice(-3000)).toBe(0);
      // Each asks the client mid-call; round-robin delivers the answer to another instance.
      for (const name of ['tools-call-elicitation', 'tools-call-sampling', 'elicitation-sep1034-defaults']) {
        const [passed = 0, failed = 1] = legacy.scenarios.get(name) ?? [];
        expect(passed, name).toBeGreaterThan(0);
        expect(failed, name).toBe(0);
      }
    });
  });
});

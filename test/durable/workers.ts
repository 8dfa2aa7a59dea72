// Two `wrangler dev` processes (workerd, offline): the primary Worker defines McpCoordinator, the
// peer binds it by `script_name` through a private local dev registry, so both isolates share one
// coordinator object, as two Worker instances in production share one Durable Object.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts, root, startProcess } from '../support/processes.ts';
import type { Running } from '../support/processes.ts';

export const REQUEST_STATE_KEYS = 'k1:a-test-secret-that-is-at-least-32-bytes-long';

export interface DurableWorkers {
  primary: string;
  peer: string;
  /** What each `wrangler dev` printed so far (its Workers' console output included). */
  output(): { primary: string; peer: string };
  stop(): Promise<void>;
}

async function start(config: string, registry: string, label: string): Promise<{ origin: string; worker: Running }> {
  const [port = 0, inspectorPort = 0] = await freePorts(2);
  const args = [
    ...[`${root}node_modules/wrangler/bin/wrangler.js`, 'dev', '--config', config, '--show-interactive-dev-session=false'],
    ...['--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspectorPort), '--persist-to', join(registry, `state-${label}`)],
    ...['--var', `ALLOWED_HOSTS:127.0.0.1:${port}`, '--var', `REQUEST_STATE_KEYS:${REQUEST_STATE_KEYS}`, '--var', `WORKER_LABEL:${label}`],
  ];
  const env = { WRANGLER_SEND_METRICS: 'false', WRANGLER_HIDE_BANNER: 'true', CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_REGISTRY_PATH: registry };
  const worker = await startProcess(`${root}node_modules/.bin/node`, args, { ready: /Ready on http:\/\/127\.0\.0\.1:\d+/, env, timeoutMs: 45_000 });
  return { origin: `http://127.0.0.1:${port}`, worker };
}

export async function startDurableWorkers(): Promise<DurableWorkers> {
  const registry = mkdtempSync(join(tmpdir(), 'mcp-durable-registry-'));
  const primary = await start('test/fixtures/wrangler.durable.toml', registry, 'primary');
  let peer: Awaited<ReturnType<typeof start>> | undefined;
  try {
    peer = await start('test/durable/wrangler.peer.toml', registry, 'peer');
    // The peer may report ready before the registry connects its binding: wait for one store round trip.
    const deadline = Date.now() + 20_000;
    for (;;) {
      const answer = await fetch(`${peer.origin}/contract/store`, { method: 'POST', body: JSON.stringify({ op: 'get', key: 'warm-up' }) }).then((r) => r.json() as Promise<{ error?: unknown }>).catch((error: Error) => ({ error }));
      if (!answer.error) break;
      if (Date.now() > deadline) throw new Error(`The peer Worker cannot reach the coordinator: ${JSON.stringify(answer.error)}\n${peer.worker.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } catch (error) {
    await Promise.all([primary.worker.stop(), peer?.worker.stop()]);
    throw error;
  }
  return {
    primary: primary.origin,
    peer: peer.origin,
    output: () => ({ primary: primary.worker.output(), peer: peer?.worker.output() ?? '' }),
    async stop() {
      await Promise.all([peer?.worker.stop(), primary.worker.stop()]);
      rmSync(registry, { recursive: true, force: true });
    },
  };
}

// Health endpoints for load balancers and orchestrators. Liveness answers from the process alone,
// so a Store outage never gets healthy instances restarted. Readiness sends the Store and the Bus
// one cheap operation each, through the same connections requests use, so a balancer stops routing
// to an instance that could only answer 503. Neither checks Host or credentials: probes come from
// the balancer, often with an IP address as Host.
import { Hono } from 'hono/tiny';
import type { McpServer } from '../server/server.ts';

export interface HealthOptions {
  /** Liveness path: 200 while the process serves requests. Default "/healthz". */
  livenessPath?: string;
  /** Readiness path: 200 when the Store and Bus answer, else 503 naming what is down. Default "/readyz". */
  readinessPath?: string;
  /** How long readiness waits for each backend, in ms; keep it below your probe's timeout. Default 2000. */
  timeoutMs?: number;
}

// A key and a channel nobody uses: reading one and publishing to the other change nothing.
const PROBE = 'health:probe';
const NO_STORE = { 'Cache-Control': 'no-store' };

type Check = 'ok' | 'down';

/** Runs `operation`; 'down' with why when it fails or outlasts `timeoutMs`. */
async function probe(what: string, operation: () => Promise<unknown>, timeoutMs: number): Promise<{ check: Check; why?: string }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<string>((resolve) => (timer = setTimeout(() => resolve(`${what} did not answer within ${timeoutMs} ms`), timeoutMs)));
  const failed = operation().then(
    () => undefined,
    (error: unknown) => `${what} failed (${error instanceof Error ? error.name : 'unknown error'})`,
  );
  try {
    const why = await Promise.race([failed, late]);
    return why === undefined ? { check: 'ok' } : { check: 'down', why };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `/healthz` and `/readyz` for one server, mounted beside its endpoint:
 * `createMcpApp(server).route('/', healthRoutes(server))`. Imported only by apps that serve them.
 */
export function healthRoutes(server: McpServer, options: HealthOptions = {}): Hono {
  const timeoutMs = options.timeoutMs ?? 2_000;
  if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) throw new TypeError(`healthRoutes: timeoutMs must be a positive number of milliseconds; got ${String(options.timeoutMs)}.`);
  const app = new Hono();

  app.get(options.livenessPath ?? '/healthz', (c) => c.json({ status: 'ok' }, 200, NO_STORE));

  app.get(options.readinessPath ?? '/readyz', async (c) => {
    const [store, bus] = await Promise.all([
      probe('the store', () => server.store.get(PROBE), timeoutMs),
      probe('the bus', () => server.bus.publishTo(PROBE, ''), timeoutMs),
    ]);
    const checks = { store: store.check, bus: bus.check };
    if (store.check === 'ok' && bus.check === 'ok') return c.json({ status: 'ok', checks }, 200, NO_STORE);
    const why = [store.why, bus.why].filter(Boolean).join('; ');
    const message = `Not ready: ${why}. Check that the shared backend (Redis, Durable Objects) is reachable from this instance; its log has the details.`;
    return c.json({ status: 'unavailable', checks, message }, 503, NO_STORE);
  });

  return app;
}

// `wrangler dev` in local mode (workerd), offline, on a free loopback port, for the Workers suites.
import { freePorts, root, startProcess } from '../support/processes.ts';
import type { Running } from '../support/processes.ts';

// No telemetry, no update check, no fetch of the `Request.cf` object: nothing leaves the machine.
const OFFLINE = { WRANGLER_SEND_METRICS: 'false', WRANGLER_HIDE_BANNER: 'true', CLOUDFLARE_CF_FETCH_ENABLED: 'false' };

/** Starts `wrangler dev` on a free loopback port; `vars` become `--var` bindings. */
export async function wranglerDev(config: string, allowedHosts: (port: number) => string, vars: Record<string, string> = {}): Promise<{ url: string; port: number; worker: Running }> {
  const [port = 0, inspectorPort = 0] = await freePorts(2);
  const args = [
    ...[`${root}node_modules/wrangler/bin/wrangler.js`, 'dev', '--config', config, '--show-interactive-dev-session=false'],
    ...['--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspectorPort), '--var', `ALLOWED_HOSTS:${allowedHosts(port)}`],
    ...Object.entries(vars).flatMap(([name, value]) => ['--var', `${name}:${value}`]),
  ];
  // wrangler needs Node >= 22: the `node` devDependency's binary, as for the conformance CLI.
  const worker = await startProcess(`${root}node_modules/.bin/node`, args, { ready: /Ready on http:\/\/127\.0\.0\.1:\d+/, env: OFFLINE, timeoutMs: 45_000 });
  return { url: `http://127.0.0.1:${port}/mcp`, port, worker };
}

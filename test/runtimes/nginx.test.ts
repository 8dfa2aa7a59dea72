// Behind a real nginx with its default proxy buffering: the official conformance suite, and the
// first SSE and JSON Lines notification before the tool finishes, because every stream carries
// `X-Accel-Buffering: no`. A second nginx server that ignores that header shows what it prevents.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWith, findTool } from '../cluster/tools.ts';
import { expectScoredScenariosPassed, expectedFailuresFile, runConformance } from '../conformance/run-conformance.ts';
import { createMcpApp, loopbackHosts } from '../../src/http/index.ts';
import { createConformanceServer } from '../fixtures/conformance-server.ts';
import { freePorts } from '../support/processes.ts';
import { serveApp } from '../support/serve.ts';
import type { Served } from '../support/serve.ts';
import { expectFirstNotificationBeforeResult, expectHeldUntilFinished } from './streamed-call.ts';

/** The usual reverse-proxy block: nothing about buffering, so nginx buffers responses by default. */
function nginxConf(prefix: string, upstream: number, port: number, controlPort: number): string {
  const location = (extra: string) => `
      location / {
        proxy_pass http://127.0.0.1:${upstream};
        proxy_set_header Host $http_host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;${extra}
      }`;
  return `
    daemon off;
    ${process.getuid?.() === 0 ? `user ${userInfo().username};` : ''}
    worker_processes 1;
    pid ${prefix}/nginx.pid;
    error_log ${prefix}/error.log warn;
    events { worker_connections 256; }
    http {
      access_log ${prefix}/access.log;
      client_body_temp_path ${prefix}/client-body;
      proxy_temp_path ${prefix}/proxy;
      fastcgi_temp_path ${prefix}/fastcgi;
      uwsgi_temp_path ${prefix}/uwsgi;
      scgi_temp_path ${prefix}/scgi;
      server {
        listen 127.0.0.1:${port};${location('')}
      }
      server {
        listen 127.0.0.1:${controlPort};${location('\n        proxy_ignore_headers X-Accel-Buffering;')}
      }
    }`;
}

describeWith([findTool('nginx')], 'through nginx with default proxy buffering', ({ nginx: binary }) => {
  const prefix = mkdtempSync(join(tmpdir(), 'stateless-mcp-nginx-'));
  let port: number;
  let controlPort: number;
  let node: Served | undefined;
  let nginx: ChildProcess | undefined;
  const url = (p: number) => `http://127.0.0.1:${p}/mcp`;

  beforeAll(async () => {
    [port = 0, controlPort = 0] = await freePorts(2);
    // The client's Host reaches the app unchanged, so it answers the names of nginx's ports.
    node = await serveApp((options) => createMcpApp(createConformanceServer(), options), { allowedHosts: [...loopbackHosts(port), ...loopbackHosts(controlPort)] });
    writeFileSync(join(prefix, 'nginx.conf'), nginxConf(prefix, node.port, port, controlPort));
    nginx = spawn(binary!, ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-e', join(prefix, 'error.log')], { stdio: 'ignore' });
    for (const deadline = Date.now() + 10_000; ; ) {
      const answered = await fetch(url(port)).then((r) => r.status, () => 0);
      if (answered === 405) break;
      if (nginx.exitCode !== null || Date.now() > deadline) {
        throw new Error(`nginx did not start (exit ${nginx.exitCode}): ${readFileSync(join(prefix, 'error.log'), 'utf8')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  afterAll(async () => {
    if (nginx && nginx.exitCode === null) {
      const exited = new Promise((resolve) => nginx!.once('exit', resolve));
      nginx.kill('SIGQUIT');
      await exited;
    }
    await node?.close();
    rmSync(prefix, { recursive: true, force: true });
  });

  it('passes every scored 2026-07-28 scenario of the official suite', { timeout: 120_000 }, async () => {
    expectScoredScenariosPassed(await runConformance(url(port), ['--requirements', '2026-07-28', '--expected-failures', expectedFailuresFile('2026-07-28')]));
  });

  it.each(['sse', 'jsonl'] as const)('delivers the first %s notification before the tool finishes', async (mode) => {
    await expectFirstNotificationBeforeResult(url(port), mode);
  });

  it.each(['sse', 'jsonl'] as const)('would hold %s back until the tool finished if nginx ignored X-Accel-Buffering', async (mode) => {
    await expectHeldUntilFinished(url(controlPort), mode);
  });
});

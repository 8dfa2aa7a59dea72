// nginx as an ordinary round-robin load balancer: no affinity, default proxy buffering, the
// client's Host passed on (the servers check it against DNS rebinding) and its address appended to
// X-Forwarded-For. Config, pid, logs and temp
// files live in a temp dir; `daemon off` keeps it our child so it is stopped by its PID.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProcess } from '../support/processes.ts';

export interface Nginx {
  url: string;
  /** nginx's master process, which leads its process group. */
  pid: number;
  /** `upstream address` of each proxied request, in order, from the access log. */
  upstreams(): string[];
  /**
   * Each proxied request in the order nginx finished it: the upstreams it tried (one address, or
   * several when nginx passed it on after a failed connect) and the status the client got.
   */
  requests(): { upstreams: string[]; status: number }[];
  stop(): Promise<void>;
}

export interface NginxOptions {
  /** Connections nginx may hold open, clients and upstreams together. Default 512. */
  workerConnections?: number;
}

export async function startNginx(binary: string, port: number, backends: number[], options: NginxOptions = {}): Promise<Nginx> {
  const dir = mkdtempSync(join(tmpdir(), 'stateless-mcp-nginx-'));
  const conf = `
daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log stderr notice;
${process.getuid?.() === 0 ? '# As root, workers would switch to "nobody", who cannot write this 0700 temp dir.\nuser root;' : ''}
events { worker_connections ${options.workerConnections ?? 512}; }
http {
  log_format upstreams '$status $upstream_addr';
  access_log ${dir}/access.log upstreams;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream mcp {
${backends.map((p) => `    server 127.0.0.1:${p};`).join('\n')}
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://mcp;
      proxy_set_header Host $http_host;
      # Appends the address nginx accepted the connection from: what the default rate-limit key reads.
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }
  }
}
`;
  writeFileSync(join(dir, 'nginx.conf'), conf);
  // -e: the startup log, before the config's error_log applies (the default path needs root).
  const running = await startProcess(binary, ['-p', dir, '-e', 'stderr', '-c', join(dir, 'nginx.conf')], { ready: /start worker process/, timeoutMs: 15_000 }).catch((error: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  });
  // "200 127.0.0.1:4001" or, after a failed connect, "200 127.0.0.1:4002, 127.0.0.1:4001".
  const requests = () =>
    readFileSync(join(dir, 'access.log'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const space = line.indexOf(' ');
        return { status: Number(line.slice(0, space)), upstreams: line.slice(space + 1).split(', ') };
      });
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    pid: running.pid,
    upstreams: () => requests().map((request) => request.upstreams.join(', ')),
    requests,
    async stop() {
      await running.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// A throwaway redis-server on a free loopback port: no persistence, stopped by its PID (process
// group), and restartable on the same port so tests can cut Redis away and bring it back.
import { setTimeout as delay } from 'node:timers/promises';
import { freePorts, startProcess } from '../support/processes.ts';
import type { Running } from '../support/processes.ts';

export interface RedisServer {
  url: string;
  port: number;
  output(): string;
  stop(): Promise<void>;
  /** Starts it again on the same port (after `stop`), empty. */
  start(): Promise<void>;
}

export async function startRedis(binary: string): Promise<RedisServer> {
  const [port] = await freePorts(1);
  let running: Running | undefined;
  let log = '';
  const launch = () =>
    startProcess(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      ready: /Ready to accept connections/,
      timeoutMs: 15_000,
    });
  const start = async () => {
    // On a restart the port can still be held for a moment: the stopped server's connections sit
    // in FIN_WAIT_2 until each client (a busy Node process) closes its end, and SO_REUSEADDR only
    // reuses TIME_WAIT. Try again for a few seconds, as a supervisor restarting Redis would.
    for (let attempt = 1; ; attempt++) {
      try {
        running = await launch();
        return;
      } catch (error) {
        if (attempt >= 25 || !String(error).includes('Address already in use')) throw error;
        await delay(200);
      }
    }
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port: port!,
    output: () => log + (running?.output() ?? ''),
    start,
    async stop() {
      log += running?.output() ?? '';
      await running?.stop();
      running = undefined;
    },
  };
}

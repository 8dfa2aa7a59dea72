// Cold start: from spawning the server process to the first correct tools/call answer, polling
// the port every millisecond as an eager load balancer would. Servers take turns sample by sample.
import { config } from './config.ts';
import { post } from './http-client.ts';
import { log } from './log.ts';
import { freePort, startPinned, watchCore } from './proc.ts';
import { checkResponse, operationRequest } from './requests.ts';
import { prepare } from './servers.ts';
import type { ServerDef } from './servers.ts';
import { max, median, min, quantile } from './stats.ts';

export interface ColdResult {
  server: string;
  samplesMs: number[];
  medianMs: number;
  p25Ms: number;
  p75Ms: number;
  minMs: number;
  maxMs: number;
  /** Median share of the server core other processes took during a sample (coarse: /proc counts 10 ms ticks). */
  foreignShare: number;
  error?: string;
}

async function once(start: Awaited<ReturnType<typeof prepare>>, def: ServerDef): Promise<{ ms: number; foreign: number }> {
  const port = await freePort();
  const spec = operationRequest(def.preferredForm, 'echo');
  const t0 = performance.now();
  const { running } = startPinned({ ...start(port), cpu: config.serverCpu });
  const watch = watchCore(running.pid, config.serverCpu);
  try {
    const deadline = t0 + 30_000;
    for (;;) {
      try {
        const reply = await post(port, spec);
        const ms = performance.now() - t0;
        const problem = checkResponse('echo', reply.status, reply.body);
        if (problem) throw new Error(`wrong first answer: ${problem}`);
        return { ms, foreign: watch().foreignShare };
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'ECONNREFUSED' && code !== 'ECONNRESET') throw error;
        if (running.child.exitCode !== null) throw new Error(`exited before answering:\n${running.output().slice(-1000)}`);
        if (performance.now() > deadline) throw new Error('no answer within 30 s');
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    }
  } finally {
    await running.stop();
  }
}

export async function runColdStarts(defs: ServerDef[]): Promise<ColdResult[]> {
  log(`cold start: ${config.coldStarts} spawns per server, servers taking turns`);
  const prepared = new Map<string, Awaited<ReturnType<typeof prepare>>>();
  const results = new Map<string, ColdResult>();
  const foreign = new Map<string, number[]>();
  for (const def of defs) {
    try {
      const start = await prepare(def);
      await once(start, def); // unrecorded: brings the bundle and the runtime into the page cache
      prepared.set(def.id, start);
      results.set(def.id, { server: def.id, samplesMs: [], medianMs: NaN, p25Ms: NaN, p75Ms: NaN, minMs: NaN, maxMs: NaN, foreignShare: 0 });
      foreign.set(def.id, []);
    } catch (error) {
      results.set(def.id, { server: def.id, samplesMs: [], medianMs: NaN, p25Ms: NaN, p75Ms: NaN, minMs: NaN, maxMs: NaN, foreignShare: NaN, error: (error as Error).message.slice(0, 500) });
      log(`  ${def.label}: FAILED ${(error as Error).message.split('\n')[0]}`);
    }
  }
  for (let i = 0; i < config.coldStarts; i++) {
    for (const def of defs) {
      const start = prepared.get(def.id);
      const result = results.get(def.id)!;
      if (!start || result.error) continue;
      try {
        const sample = await once(start, def);
        result.samplesMs.push(sample.ms);
        foreign.get(def.id)!.push(sample.foreign);
      } catch (error) {
        result.error = (error as Error).message.slice(0, 500);
        log(`  ${def.label}: FAILED ${result.error.split('\n')[0]}`);
      }
    }
    if ((i + 1) % 5 === 0 || i + 1 === config.coldStarts) log(`  ${i + 1}/${config.coldStarts} samples per server`);
  }
  for (const def of defs) {
    const r = results.get(def.id)!;
    if (r.samplesMs.length === 0) continue;
    Object.assign(r, {
      medianMs: median(r.samplesMs),
      p25Ms: quantile(r.samplesMs, 0.25),
      p75Ms: quantile(r.samplesMs, 0.75),
      minMs: min(r.samplesMs),
      maxMs: max(r.samplesMs),
      foreignShare: median(foreign.get(def.id)!),
    });
    log(`  ${def.label.padEnd(34)} median ${r.medianMs.toFixed(1)} ms  (p25 ${r.p25Ms.toFixed(1)}, p75 ${r.p75Ms.toFixed(1)}, min ${r.minMs.toFixed(1)}, max ${r.maxMs.toFixed(1)})`);
  }
  return defs.map((d) => results.get(d.id)!);
}

// Streaming: slow_stream sends 5 progress notifications 20 ms apart. For each response mode,
// the time to the first notification, the total time, and how long each notification took from
// the handler's emit (stamped in the message on the shared monotonic clock) to reach the client.
import { request } from 'node:http';
import type { Agent } from 'node:http';
import { config } from './config.ts';
import { FrameSplitter, framingOf } from './frames.ts';
import { keepAliveAgent } from './http-client.ts';
import { log } from './log.ts';
import { freePort, startPinned } from './proc.ts';
import { rpcRequest } from './requests.ts';
import type { HttpRequestSpec } from './requests.ts';
import { prepare } from './servers.ts';
import type { ServerDef, StreamMode } from './servers.ts';
import { max, median, quantile } from './stats.ts';

const STEPS = 5;

export interface StreamResult {
  server: string;
  mode: StreamMode;
  contentType: string;
  samples: number;
  /** Request sent → first progress notification received (median). */
  firstMs: number;
  /** Request sent → response complete (median). */
  totalMs: number;
  /** Handler emit → client receipt, over every notification of every sample. */
  delayMedianMs: number;
  delayP99Ms: number;
  delayMaxMs: number;
  /** Emit → client of each call's first notification (median, max). */
  firstDelayMedianMs: number;
  firstDelayMaxMs: number;
  notificationsPerResponse: number;
  error?: string;
}

function specFor(def: ServerDef, mode: StreamMode): HttpRequestSpec {
  const meta = mode === 'json' ? {} : { _meta: { progressToken: 'bench-progress' } };
  const spec = rpcRequest(def.preferredForm, 'tools/call', { name: 'slow_stream', arguments: {}, ...meta });
  if (mode === 'jsonl') spec.headers.accept = 'application/json, application/jsonl';
  return spec;
}

interface Sample {
  first?: number;
  total: number;
  delays: number[];
  notifications: number;
  contentType: string;
  done: boolean;
}

const toMs = (ns: bigint) => Number(ns) / 1e6;

function sample(port: number, spec: HttpRequestSpec, agent: Agent): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const out: Sample = { total: 0, delays: [], notifications: 0, contentType: '', done: false };
    let t0 = 0n;
    const onMessage = (text: string, at: bigint) => {
      let message: { method?: string; params?: { message?: string }; result?: { content?: { text?: string }[] } };
      try {
        message = JSON.parse(text);
      } catch {
        return;
      }
      if (message.method === 'notifications/progress') {
        out.notifications++;
        out.first ??= toMs(at - t0);
        const emitted = /emitted@(\d+)/.exec(message.params?.message ?? '')?.[1];
        if (emitted) out.delays.push(toMs(at - BigInt(emitted)));
      } else if (message.result?.content?.[0]?.text === 'done') out.done = true;
    };
    const req = request({ host: '127.0.0.1', port, path: '/mcp', method: 'POST', agent, headers: { ...spec.headers, 'content-length': Buffer.byteLength(spec.body) } }, (res) => {
      out.contentType = String(res.headers['content-type'] ?? '');
      const frames = new FrameSplitter(framingOf(out.contentType));
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const at = process.hrtime.bigint();
        for (const text of frames.push(chunk)) onMessage(text, at);
      });
      res.on('end', () => {
        const at = process.hrtime.bigint();
        for (const text of frames.end()) onMessage(text, at);
        out.total = toMs(at - t0);
        resolve(out);
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    t0 = process.hrtime.bigint();
    req.end(spec.body);
  });
}

export async function runStreaming(defs: ServerDef[]): Promise<StreamResult[]> {
  const results: StreamResult[] = [];
  log(`streaming: ${config.streamSamples} slow_stream calls per server and response mode`);
  for (const def of defs) {
    let running;
    try {
      const start = await prepare(def);
      const port = await freePort();
      const started = startPinned({ ...start(port), cpu: config.serverCpu });
      running = started.running;
      await started.whenReady;
      const agent = keepAliveAgent();
      for (const mode of def.stream) {
        const spec = specFor(def, mode);
        const samples: Sample[] = [];
        let error: string | undefined;
        try {
          for (let i = 0; i < 2; i++) await sample(port, spec, agent); // warm-up
          for (let i = 0; i < config.streamSamples; i++) samples.push(await sample(port, spec, agent));
          const expected = mode === 'json' ? 0 : STEPS;
          const wrong = samples.find((s) => !s.done || s.notifications !== expected);
          if (wrong) error = `expected ${expected} notifications and the result, got ${wrong.notifications} notifications, result ${wrong.done ? 'present' : 'missing'} (${wrong.contentType})`;
        } catch (e) {
          error = (e as Error).message;
        }
        const delays = samples.flatMap((s) => s.delays);
        const result: StreamResult = {
          server: def.id,
          mode,
          contentType: samples[0]?.contentType.split(';')[0] ?? '',
          samples: samples.length,
          firstMs: mode === 'json' ? median(samples.map((s) => s.total)) : median(samples.map((s) => s.first ?? NaN)),
          totalMs: median(samples.map((s) => s.total)),
          delayMedianMs: median(delays),
          delayP99Ms: quantile(delays, 0.99),
          delayMaxMs: max(delays),
          firstDelayMedianMs: median(samples.map((s) => s.delays[0] ?? NaN).filter(Number.isFinite)),
          firstDelayMaxMs: max(samples.map((s) => s.delays[0] ?? NaN).filter(Number.isFinite)),
          notificationsPerResponse: median(samples.map((s) => s.notifications)),
          error,
        };
        results.push(result);
        log(`  ${def.label.padEnd(30)} ${mode.padEnd(5)} first ${result.firstMs.toFixed(1)} ms  total ${result.totalMs.toFixed(1)} ms  emit→client: first ${result.firstDelayMedianMs.toFixed(2)} ms (max ${result.firstDelayMaxMs.toFixed(2)}), all median ${result.delayMedianMs.toFixed(2)}, max ${result.delayMaxMs.toFixed(2)} ms${error ? `  ERROR ${error}` : ''}`);
      }
      agent.destroy();
    } catch (error) {
      log(`  ${def.label}: FAILED ${(error as Error).message.split('\n')[0]}`);
      for (const mode of def.stream) results.push({ server: def.id, mode, contentType: '', samples: 0, firstMs: NaN, totalMs: NaN, delayMedianMs: NaN, delayP99Ms: NaN, delayMaxMs: NaN, firstDelayMedianMs: NaN, firstDelayMaxMs: NaN, notificationsPerResponse: 0, error: (error as Error).message.slice(0, 300) });
    } finally {
      await running?.stop();
    }
  }
  return results;
}

// The soak's results (bench/results/soak.json), their analysis (growth after warm-up, what the
// requestState claim records account for) and the "Soak" section of BENCHMARKS.md.
import { int, mb } from './format.ts';
import { KINDS } from './soak-load.ts';
import type { Counts, Kind } from './soak-load.ts';

export interface SoakSample {
  /** Minutes since the load started (0: idle, before any request). */
  minute: number;
  rss: number;
  heapUsed?: number;
  heapTotal?: number;
  /** After a full collection (forced right after the RSS is read): what is retained. */
  heapUsedAfterGc?: number;
  external?: number;
  load1: number;
  /** Successful operations per kind so far. */
  ok: Record<Kind, number>;
  /** Of ok.mrtr, the 2026-07-28 round trips (each claims its requestState). */
  modernMrtr: number;
  failed: number;
}

export interface SoakResults {
  date: string;
  command: string;
  commit: string;
  nodeVersion: string;
  minutes: number;
  connections: number;
  warmupMinutes: number;
  /** requestState TTL: how long a single-use claim record stays in the MemoryStore. */
  claimTtlMinutes: number;
  /** Heap bytes one claim record costs in a Map of `claimsAlive` entries (measured in the harness). */
  claimBytes: number;
  samples: SoakSample[];
  counts: Counts;
  errors: string[];
  loadAverageStart: number[];
  loadAverageEnd: number[];
}

const MiB = 2 ** 20;

/** Least-squares slope (units per minute) over the samples from `from` to `to` minutes. */
export function slope(samples: readonly SoakSample[], value: (s: SoakSample) => number | undefined, from: number, to = Infinity): number {
  const points = samples.filter((s) => s.minute >= from && s.minute <= to).flatMap((s) => (value(s) === undefined ? [] : [[s.minute, value(s)!] as const]));
  if (points.length < 2) return NaN;
  const mx = points.reduce((a, [x]) => a + x, 0) / points.length;
  const my = points.reduce((a, [, y]) => a + y, 0) / points.length;
  const num = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  const den = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return num / den;
}

/** Claim records still held at a sample: 2026-07-28 MRTR round trips within the last TTL. */
export function claimsAlive(results: Pick<SoakResults, 'samples' | 'claimTtlMinutes'>, sample: SoakSample): number {
  const since = [...results.samples].reverse().find((s) => s.minute <= sample.minute - results.claimTtlMinutes);
  return sample.modernMrtr - (since?.modernMrtr ?? 0);
}

const mib = (bytes: number | undefined) => (bytes === undefined ? 'n/a' : mb(bytes));
const rate = (bytesPerMinute: number) => (Number.isFinite(bytesPerMinute) ? `${(bytesPerMinute / MiB).toFixed(2)} MiB/min` : 'n/a');

export function renderSoak(results: SoakResults): string[] {
  const { samples, warmupMinutes: warm, claimTtlMinutes: ttl } = results;
  const last = samples[samples.length - 1]!;
  const first = samples.find((s) => s.minute >= warm) ?? last;
  const ops = (s: SoakSample) => KINDS.reduce((a, k) => a + s.ok[k], 0);
  const out: string[] = ['## Soak', ''];
  out.push(
    `The demo server (\`src/demo\`, as \`npm start\` serves it, \`REQUEST_LOG=off\`, lists paged two items at a time) under ${results.connections} concurrent client loops for ${results.minutes} minutes, each calling back to back through a rotation of: ` +
      '`echo`; `slow_stream` (3 progress notifications); `query_rows` (3 partial results); `greet` (an elicitation: on 2026-07-28 an MRTR round trip, two POSTs and a sealed `requestState`; on 2025 a server-to-client request); and the paged lists (`tools/list` in three pages, `prompts/list`, `resources/templates/list`). ' +
      'One loop in five speaks 2025-06-18 (sealed session id); the 2026-07-28 loops alternate SSE and JSON Lines. Every answer is checked. ' +
      "RSS is read from /proc every minute; then the server is sent SIGUSR2, on which it prints its heap before and after a forced full collection (`--expose-gc`), so \"heap after GC\" is what is retained.",
    '',
  );
  out.push(
    `Machine: 2 cores shared with other work; load average ${results.loadAverageStart.map((n) => n.toFixed(2)).join(' ')} at the start, ${results.loadAverageEnd.map((n) => n.toFixed(2)).join(' ')} at the end. ` +
      `${int(ops(last))} operations, ${int(last.failed)} failed${results.errors.length ? ` (first: ${results.errors[0]})` : ''}. Run ${results.date.slice(0, 16).replace('T', ' ')} UTC at ${results.commit.slice(0, 8)}: \`${results.command}\`.`,
    '',
  );
  out.push('| minute | RSS MiB | heap used MiB | heap after GC MiB | external MiB | claims held | ops/min | load 1 min |', '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const [i, s] of samples.entries()) {
    const previous = samples[i - 1];
    const perMinute = previous ? (ops(s) - ops(previous)) / (s.minute - previous.minute) : 0;
    out.push(`| ${s.minute} | ${mib(s.rss)} | ${mib(s.heapUsed)} | ${mib(s.heapUsedAfterGc)} | ${mib(s.external)} | ${int(claimsAlive(results, s))} | ${previous ? int(perMinute) : '–'} | ${s.load1.toFixed(2)} |`);
  }
  out.push('');
  const steady = Math.max(warm, ttl + 2);
  const held = claimsAlive(results, last);
  out.push(
    `Growth after warm-up (least-squares slope over minutes ${warm}–${last.minute}): RSS ${rate(slope(samples, (s) => s.rss, warm))}, heap after GC ${rate(slope(samples, (s) => s.heapUsedAfterGc, warm))}. ` +
      `Once the first claims expire (minutes ${steady}–${last.minute}): RSS ${rate(slope(samples, (s) => s.rss, steady))}, heap after GC ${rate(slope(samples, (s) => s.heapUsedAfterGc, steady))}. ` +
      `RSS went from ${mib(samples[0]!.rss)} MiB idle to ${mib(first.rss)} MiB at minute ${first.minute} and ${mib(last.rss)} MiB at the end.`,
    '',
  );
  out.push(
    `What the server keeps per request: each 2026-07-28 MRTR round that carries a \`requestState\` leaves one single-use claim record (\`requestState:<id>\` → expiry) in the MemoryStore, held for the token's lifetime (${ttl} minutes by default) so a replay is refused; the sweep drops it after that. ` +
      `A record costs about ${int(results.claimBytes)} bytes of heap (measured in the harness: key string, boxed expiry and the Map's share), so the ${int(held)} held at the end come to about ${mb(held * results.claimBytes)} MiB. ` +
      `They grow for the first ${ttl} minutes and are flat after, because each minute as many expire as are made. Nothing else in the request path outlives its request: lists are cached per page and era (bounded by the number of pages), the list-changed bus and rendezvous channels drop their entries when a call ends, and the 2025 lane's session is a sealed token, not a record.`,
    '',
  );
  return out;
}

/** Replaces the "## Soak" section of a BENCHMARKS.md text (or adds it before "## What each server is and needs"). */
export function spliceSoak(markdown: string, section: string[]): string {
  const text = `${section.join('\n')}\n`;
  const start = markdown.indexOf('\n## Soak\n');
  if (start >= 0) {
    const next = markdown.indexOf('\n## ', start + 1);
    return `${markdown.slice(0, start + 1)}${text}${next >= 0 ? markdown.slice(next + 1) : ''}`;
  }
  const anchor = markdown.indexOf('\n## What each server is and needs\n');
  return anchor >= 0 ? `${markdown.slice(0, anchor + 1)}${text}\n${markdown.slice(anchor + 1)}` : `${markdown}\n${text}`;
}

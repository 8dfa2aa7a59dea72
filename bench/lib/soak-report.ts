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

/** Retained heap that the claim records do not account for. */
function besidesClaims(results: SoakResults, sample: SoakSample): number | undefined {
  return sample.heapUsedAfterGc === undefined ? undefined : sample.heapUsedAfterGc - claimsAlive(results, sample) * results.claimBytes;
}

export function renderSoak(results: SoakResults): string[] {
  const { samples, warmupMinutes: warm, claimTtlMinutes: ttl } = results;
  const last = samples[samples.length - 1]!;
  const ops = (s: SoakSample) => KINDS.reduce((a, k) => a + s.ok[k], 0);
  const perMinute = samples.slice(1).map((s, i) => (ops(s) - ops(samples[i]!)) / (s.minute - samples[i]!.minute));
  const after = samples.filter((s) => s.minute >= warm);
  const peak = after.reduce((a, s) => (s.rss > a.rss ? s : a), after[0] ?? last);
  const most = after.reduce((a, s) => (claimsAlive(results, s) > claimsAlive(results, a) ? s : a), after[0] ?? last);
  const rest = after.map((s) => besidesClaims(results, s)).filter((v): v is number => v !== undefined);
  const before = after.map((s) => s.heapUsed).filter((v): v is number => v !== undefined);
  // Rises of half a MiB or more within one minute.
  const steps = after.filter((s, i) => i > 0 && (besidesClaims(results, s) ?? 0) - (besidesClaims(results, after[i - 1]!) ?? 0) >= MiB / 2);
  const out: string[] = ['## Soak', ''];
  out.push(
    `The demo server (\`src/demo\`, as \`npm start\` serves it, \`REQUEST_LOG=off\`, lists paged two items at a time) under ${results.connections} concurrent client loops for ${results.minutes} minutes, each calling back to back through a rotation of: ` +
      '`echo`; `slow_stream` (3 progress notifications); `query_rows` (3 partial results); `greet` (an elicitation: on 2026-07-28 an MRTR round trip, two POSTs and a sealed `requestState`; on 2025 a server-to-client request); and the paged lists (`tools/list` in three pages, `prompts/list`, `resources/templates/list`). ' +
      'One loop in five speaks 2025-06-18 (sealed session id); the 2026-07-28 loops alternate SSE and JSON Lines. Every answer is checked. ' +
      'RSS is read from /proc every minute; then the server is sent SIGUSR2, on which it prints its heap before and after a forced full collection (`--expose-gc`), so "heap after GC" is what is retained. ' +
      `"Claims held" counts the 2026-07-28 MRTR round trips of the last ${ttl} minutes (each leaves one single-use record, see below); "besides claims" is heap after GC less ${int(results.claimBytes)} bytes per claim.`,
    '',
  );
  out.push(
    `Machine: 2 cores shared with other sessions, whose load set the pace: load average ${results.loadAverageStart.map((n) => n.toFixed(2)).join(' ')} at the start, ${results.loadAverageEnd.map((n) => n.toFixed(2)).join(' ')} at the end, ${int(Math.min(...perMinute))} to ${int(Math.max(...perMinute))} operations a minute. ` +
      `${int(ops(last))} operations, ${int(last.failed)} failed${results.errors.length ? ` (first: ${results.errors[0]})` : ''}. Run ${results.date.slice(0, 16).replace('T', ' ')} UTC at ${results.commit.slice(0, 8)}: \`${results.command}\`.`,
    '',
  );
  out.push(
    '| minute | RSS MiB | heap used MiB | heap after GC MiB | claims held | besides claims MiB | ops/min | load 1 min |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const [i, s] of samples.entries()) {
    out.push(`| ${s.minute} | ${mib(s.rss)} | ${mib(s.heapUsed)} | ${mib(s.heapUsedAfterGc)} | ${int(claimsAlive(results, s))} | ${mib(besidesClaims(results, s))} | ${i ? int(perMinute[i - 1]!) : '–'} | ${s.load1.toFixed(2)} |`);
  }
  out.push('');
  const steady = Math.max(warm, ttl + 2);
  const slopes = (from: number) =>
    `RSS ${rate(slope(samples, (s) => s.rss, from))}, heap after GC ${rate(slope(samples, (s) => s.heapUsedAfterGc, from))}, besides claims ${rate(slope(samples, (s) => besidesClaims(results, s), from))}`;
  out.push(
    `**Growth after warm-up** (least-squares slope over minutes ${warm}–${last.minute}): ${slopes(warm)}. ` +
      (last.minute > steady ? `Over minutes ${steady}–${last.minute}, once the first claims have expired: ${slopes(steady)}. ` : '') +
      `RSS: ${mib(samples[0]!.rss)} MiB idle, ${mib(after[0]?.rss)} MiB at minute ${warm}, at most ${mib(peak.rss)} MiB (minute ${peak.minute}), ${mib(last.rss)} MiB at the end. ` +
      `Heap besides claims stayed between ${mib(Math.min(...rest))} and ${mib(Math.max(...rest))} MiB from minute ${warm} on${steps.length ? `, rising in steps at minute${steps.length > 1 ? 's' : ''} ${steps.map((s) => s.minute).join(' and ')} (see below)` : ''}.`,
    '',
  );
  out.push(
    `**What remains.** Each 2026-07-28 MRTR round that carries a \`requestState\` leaves one single-use claim record (\`requestState:<id>\` → expiry, \`src/server/input-round.ts\`) in the MemoryStore (\`src/store/memory.ts\`), held until the token expires (${ttl} minutes by default, \`requestState.ttlMs\`) so that a replay is refused; the sweep, at most once a second, drops it after that. ` +
      `A record costs about ${int(results.claimBytes)} bytes of heap (key string, boxed expiry and the Map's share, measured in the harness at the soak's peak count with records expiring as fast as they are made). ` +
      `So the records are a working set of (MRTR rounds per minute × ${ttl}) × ${int(results.claimBytes)} bytes, not a leak: they grow for the first ${ttl} minutes, then follow the MRTR rate of the last ${ttl} minutes, here at most ${int(claimsAlive(results, most))} records, about ${mb(claimsAlive(results, most) * results.claimBytes)} MiB (minute ${most.minute}). ` +
      'The Map keeps a deleted record\'s slot until it rebuilds its table, and rebuilds at twice the size while more than half the slots are live, so once records start to expire its table steps up to as much as twice what the live records need (going from 64k to 128k slots adds 1.75 MiB), and stays there while the count does' +
      (steps.length ? ': those are the steps in "besides claims" above, which the per-record figure, measured at the peak count, spreads evenly. ' : '. ') +
      'A heap snapshot diff (a separate run, minutes 2 and 10, 65k more records) finds nothing else: +3.1 MiB for the Map\'s table, +4.5 MiB of keys (each a cons string of `requestState:` and the 22-character id), +1.0 MiB of boxed expiries, and +0.3 MiB for everything else together (compiled code, requests in flight). ' +
      'A faster rate or a longer TTL holds proportionally more; a Redis or Durable Object store keeps them there, with the same expiry, instead of in the process. ' +
      `RSS follows V8's heap sizing more than what is retained: heap used before the forced collection ranged from ${mib(Math.min(...before))} to ${mib(Math.max(...before))} MiB as the allocation rate moved with the machine's load, and V8 keeps the pages it grew into for a while. ` +
      'Nothing else in the request path outlives its request: the list cache holds one entry per page and era (only cursors the server issued are accepted), the rendezvous channels of 2025 server-to-client requests are dropped when the call ends, and a 2025 session is a sealed token, not a record.',
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
  return anchor >= 0 ? `${markdown.slice(0, anchor + 1)}${text}${markdown.slice(anchor + 1)}` : `${markdown}\n${text}`;
}

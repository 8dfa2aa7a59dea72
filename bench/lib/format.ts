// Number formatting and the targets the report checks.
import type { Aggregate } from './load-phase.ts';
import type { Results } from './results.ts';

export const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
export const ms = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
export const kb = (bytes: number) => (Number.isFinite(bytes) ? (bytes / 1024).toFixed(1) : 'n/a');
export const mb = (bytes: number) => (Number.isFinite(bytes) ? (bytes / 2 ** 20).toFixed(1) : 'n/a');
export const pct = (share: number) => (Number.isFinite(share) ? `${(share * 100).toFixed(1)}%` : 'n/a');
export const times = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a');
export const minutes = (seconds: number | undefined) => (seconds === undefined ? 'n/a' : seconds < 90 ? `${Math.round(seconds)} s` : `${(seconds / 60).toFixed(1)} min`);

/** A Markdown table, the first column left-aligned and the others right-aligned. */
export const table = (head: string[], rows: string[][]) =>
  [`| ${head.join(' | ')} |`, `| ${head.map((h, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

export function aggregate(results: Results, server: string, scenario: string, from: 'load' | 'runtimes' = 'load'): Aggregate | undefined {
  return results[from]?.aggregates.find((a) => a.server === server && a.scenario === scenario);
}

export function labelOf(results: Results, id: string): string {
  return results.servers.find((s) => s.id === id)?.label ?? id;
}

export function kindOf(results: Results, id: string): string {
  return results.servers.find((s) => s.id === id)?.kind ?? 'peer';
}

export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean | undefined;
}

/** The fastest peer in a scenario (peers only: not the ceilings, not our own variants). */
export function fastestPeer(results: Results, scenario: string): Aggregate | undefined {
  const peers = (results.load?.aggregates ?? []).filter((a) => a.scenario === scenario && kindOf(results, a.server) === 'peer');
  return peers.reduce<Aggregate | undefined>((best, a) => (!best || a.rps > best.rps ? a : best), undefined);
}

export function checkTargets(results: Results): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const form of ['2026', '2025']) {
    const ours = aggregate(results, 'ours', `echo-${form}`);
    const hono = aggregate(results, 'hono', `echo-${form}`);
    if (ours && hono) {
      const r = ours.rps / hono.rps;
      checks.push({ target: `echo throughput ≥ 0.7× bare Hono (${form} form)`, measured: `${r.toFixed(2)}× (${int(ours.rps)} vs ${int(hono.rps)} req/s)`, met: r >= 0.7 });
    }
    const peer = fastestPeer(results, `echo-${form}`);
    if (ours && peer) {
      const r = ours.rps / peer.rps;
      checks.push({ target: `echo throughput ≥ 2× the fastest peer (${form} form)`, measured: `${r.toFixed(2)}× ${labelOf(results, peer.server)} (${int(peer.rps)} req/s)`, met: r >= 2 });
    }
  }
  const cold = (id: string) => results.cold?.find((c) => c.server === id);
  // Scaling to zero makes every cold start a request someone waits for: held on every runtime.
  for (const [runtime, suffix] of [['Node', ''], ['Bun', '-bun'], ['Deno', '-deno'], ['workerd', '-workerd']] as const) {
    const coldOurs = cold(`ours${suffix}`);
    const coldHono = cold(`hono${suffix}`);
    if (!coldOurs || !coldHono || !Number.isFinite(coldOurs.medianMs)) continue;
    const r = coldOurs.medianMs / coldHono.medianMs;
    checks.push({ target: `cold start ≤ 1.15× bare Hono (${runtime})`, measured: `${r.toFixed(2)}× (${ms(coldOurs.medianMs)} vs ${ms(coldHono.medianMs)} ms)`, met: r <= 1.15 });
  }
  const bundle = (id: string) => results.bundles?.find((b) => b.id === id);
  const none = bundle('ours-none');
  if (none) checks.push({ target: 'edge bundle ≤ 20 KB gzipped, no schema library', measured: `${kb(none.gzipped)} KB`, met: none.works && none.gzipped <= 20 * 1024 });
  const zod = bundle('ours-zod');
  if (zod) checks.push({ target: "edge bundle ≤ 45 KB gzipped with zod (`import * as z from 'zod'`)", measured: `${kb(zod.gzipped)} KB`, met: zod.works && zod.gzipped <= 45 * 1024 });
  const memOurs = results.load?.memory.ours?.afterLoad;
  const memHono = results.load?.memory.hono?.afterLoad;
  if (memOurs && memHono) {
    const r = memOurs.rss / memHono.rss;
    checks.push({ target: 'RSS after load ≤ 1.2× bare Hono', measured: `${r.toFixed(2)}× (${mb(memOurs.rss)} vs ${mb(memHono.rss)} MB)`, met: r <= 1.2 });
  }
  for (const mode of ['sse', 'jsonl'] as const) {
    const s = results.stream?.find((r) => r.server === 'ours' && r.mode === mode);
    if (s) {
      checks.push({
        target: `first streamed notification within 2 ms of its emit (${mode === 'sse' ? 'SSE' : 'JSON Lines'}; median over calls)`,
        measured: `first: median ${ms(s.firstDelayMedianMs, 2)} ms, max ${ms(s.firstDelayMaxMs, 2)} ms; every notification: p99 ${ms(s.delayP99Ms, 2)} ms`,
        met: s.error === undefined && s.firstDelayMedianMs <= 2,
      });
    }
  }
  return checks;
}

// The chart BENCHMARKS.md links: horizontal bar panels drawn as plain SVG (no chart library).
import { aggregate, kindOf, labelOf } from './format.ts';
import type { Results } from './results.ts';

interface Bar {
  label: string;
  value: number;
  kind: string;
  text: string;
}

interface Panel {
  title: string;
  bars: Bar[];
}

const COLORS: Record<string, string> = { ours: '#2563eb', ceiling: '#9ca3af', peer: '#f59e0b' };
const WIDTH = 920;
const LABEL_WIDTH = 250;
const VALUE_WIDTH = 110;
const BAR_HEIGHT = 18;
const GAP = 6;

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function panels(results: Results): Panel[] {
  const out: Panel[] = [];
  for (const [scenario, title] of [
    ['echo-2026', 'tools/call echo, 2026-07-28 form — requests/s (higher is better)'],
    ['echo-2025', 'tools/call echo, 2025-06-18 form — requests/s (higher is better)'],
    ['list-2026', 'tools/list, 2026-07-28 form — requests/s (higher is better)'],
  ] as const) {
    const bars = (results.load?.aggregates ?? [])
      .filter((a) => a.scenario === scenario)
      .map((a) => ({ label: labelOf(results, a.server), value: a.rps, kind: kindOf(results, a.server), text: Math.round(a.rps).toLocaleString('en-US') }));
    if (bars.length) out.push({ title, bars: bars.sort((a, b) => b.value - a.value) });
  }
  const runtimeBars = (results.runtimes?.aggregates ?? []).map((a) => ({
    label: `${labelOf(results, a.server)}${a.server === 'hono' || a.server === 'ours' ? ' on Node' : ''}`,
    value: a.rps,
    kind: kindOf(results, a.server),
    text: Math.round(a.rps).toLocaleString('en-US'),
  }));
  if (runtimeBars.length) out.push({ title: 'tools/call echo per runtime — requests/s (higher is better)', bars: runtimeBars });
  const cold = (results.cold ?? []).filter((c) => Number.isFinite(c.medianMs));
  if (cold.length) {
    out.push({
      title: 'cold start: spawn → first correct tools/call answer — median ms (lower is better)',
      bars: cold.map((c) => ({ label: labelOf(results, c.server), value: c.medianMs, kind: kindOf(results, c.server), text: `${c.medianMs.toFixed(1)} ms` })).sort((a, b) => a.value - b.value),
    });
  }
  const memory = Object.entries(results.load?.memory ?? {}).filter(([, m]) => m.afterLoad);
  if (memory.length) {
    out.push({
      title: 'RSS after load — MB (lower is better)',
      bars: memory.map(([id, m]) => ({ label: labelOf(results, id), value: m.afterLoad!.rss / 2 ** 20, kind: kindOf(results, id), text: `${(m.afterLoad!.rss / 2 ** 20).toFixed(1)} MB` })).sort((a, b) => a.value - b.value),
    });
  }
  const bundles = (results.bundles ?? []).filter((b) => Number.isFinite(b.gzipped));
  if (bundles.length) {
    out.push({
      title: 'one-tool edge bundle, minified + gzip -9 — KB (lower is better)',
      bars: bundles.map((b) => ({ label: `${b.label} (${b.schema})`, value: b.gzipped / 1024, kind: kindOf(results, b.server), text: `${(b.gzipped / 1024).toFixed(1)} KB${b.works ? '' : ' ✗'}` })).sort((a, b) => a.value - b.value),
    });
  }
  return out;
}

export function renderChart(results: Results): string {
  const parts: string[] = [];
  let y = 80;
  for (const panel of panels(results)) {
    parts.push(`<text x="16" y="${y}" class="title">${escape(panel.title)}</text>`);
    y += 12;
    const max = Math.max(...panel.bars.map((b) => b.value), 1e-9);
    const span = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 32;
    for (const bar of panel.bars) {
      const w = Math.max(1, (bar.value / max) * span);
      parts.push(
        `<text x="${LABEL_WIDTH + 8}" y="${y + BAR_HEIGHT - 5}" class="label" text-anchor="end">${escape(bar.label)}</text>`,
        `<rect x="${LABEL_WIDTH + 16}" y="${y}" width="${w.toFixed(1)}" height="${BAR_HEIGHT}" rx="2" fill="${COLORS[bar.kind] ?? COLORS.peer}"/>`,
        `<text x="${(LABEL_WIDTH + 16 + w + 6).toFixed(1)}" y="${y + BAR_HEIGHT - 5}" class="value">${escape(bar.text)}</text>`,
      );
      y += BAR_HEIGHT + GAP;
    }
    y += 28;
  }
  const legend = Object.entries({ 'stateless-mcp': 'ours', 'ceilings (no MCP library)': 'ceiling', peers: 'peer' })
    .map(([text, kind], i) => `<rect x="${16 + i * 220}" y="18" width="14" height="14" fill="${COLORS[kind]}"/><text x="${36 + i * 220}" y="30" class="label">${escape(text)}</text>`)
    .join('');
  const date = results.meta.date.slice(0, 10);
  const caption = `${results.meta.quick ? 'SMOKE RUN, not authoritative · ' : ''}${date} · ${results.meta.machine.nproc} cores, ${results.meta.machine.cpuModel} · node ${results.meta.nodeVersion} · server pinned to one core, load generator on the other`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${y + 10}" viewBox="0 0 ${WIDTH} ${y + 10}" font-family="system-ui, -apple-system, Segoe UI, sans-serif">
<style>.title{font-size:14px;font-weight:600;fill:#111827}.label{font-size:12px;fill:#374151}.value{font-size:12px;fill:#111827}.caption{font-size:11px;fill:#6b7280}</style>
<rect width="100%" height="100%" fill="#ffffff"/>
${legend}
<text x="16" y="52" class="caption">${escape(caption)}</text>
${parts.join('\n')}
</svg>
`;
}

// The agent-loop section of BENCHMARKS.md: the verdict on the founding claim per (N, g), K and
// topology, what streaming costs, every cell, and how it was measured.
import type { AgentMode } from './agent-call.ts';
import { configId } from './agent-loop-phase.ts';
import type { AgentLoopResult, LoopCell, LoopConfig, Topology } from './agent-loop-phase.ts';
import type { CursorPoint } from './config.ts';
import { int, minutes, ms, table } from './format.ts';
import { median } from './stats.ts';

/** The founding claim: streaming cuts time to first token by 40%, i.e. streaming p50 ≤ 0.6 × buffered p50. */
export const CLAIM_RATIO = 0.6;

const MODE_LABELS: Record<AgentMode, string> = {
  json: 'buffered JSON',
  'sse-progress': 'SSE, progress only (today)',
  'sse-partial': 'SSE + partial results',
  'jsonl-partial': 'JSON Lines + partial results',
};
const TOPOLOGY_LABELS: Record<Topology, string> = { one: 'one instance', nginx: 'three instances behind nginx' };

const configLabel = (c: LoopConfig) => (c.server === 'sdk' ? 'official SDK 2.x, buffered JSON' : `stateless-mcp, ${MODE_LABELS[c.mode]}`);
const pointLabel = (p: CursorPoint) => `${p.rows} × ${p.gapMs} ms`;
function change(ratio: number): string {
  if (!Number.isFinite(ratio)) return 'n/a';
  const percent = Math.round((ratio - 1) * 100);
  return percent === 0 ? '±0%' : `${percent < 0 ? '−' : '+'}${Math.abs(percent)}%`;
}
const ratioText = (ratio: number) => (Number.isFinite(ratio) ? `${ratio.toFixed(2)}× (${change(ratio)})` : 'n/a');
const arrow = (a: number, b: number, digits = 1) => `${ms(a, digits)} → ${ms(b, digits)}`;

function find(result: AgentLoopResult, server: 'ours' | 'sdk', mode: AgentMode, topology: Topology, point: CursorPoint, agents: number): LoopCell | undefined {
  return result.cells.find((c) => c.server === server && c.mode === mode && c.topology === topology && c.rows === point.rows && c.gapMs === point.gapMs && c.agents === agents);
}

interface Verdict {
  topology: Topology;
  point: CursorPoint;
  agents: number;
  buffered?: LoopCell;
  sdk?: LoopCell;
  progress?: LoopCell;
  ssePartial?: LoopCell;
  jsonl?: LoopCell;
  /** JSON Lines + partials ÷ buffered JSON, first-piece p50. */
  ratio: number;
}

export function verdicts(result: AgentLoopResult): Verdict[] {
  const topologies = [...new Set(result.configs.map((c) => c.topology))];
  return topologies.flatMap((topology) =>
    result.points.flatMap((point) =>
      result.agentCounts.map((agents): Verdict => {
        const at = (server: 'ours' | 'sdk', mode: AgentMode) => find(result, server, mode, topology, point, agents);
        const buffered = at('ours', 'json');
        const jsonl = at('ours', 'jsonl-partial');
        return { topology, point, agents, buffered, sdk: at('sdk', 'json'), progress: at('ours', 'sse-progress'), ssePartial: at('ours', 'sse-partial'), jsonl, ratio: (jsonl?.firstMs.p50 ?? NaN) / (buffered?.firstMs.p50 ?? NaN) };
      }),
    ),
  );
}

const holds = (ratio: number) => ratio <= CLAIM_RATIO;

/** One sentence per (N, g): where the claim holds, with the range of ratios measured. */
function summary(result: AgentLoopResult, all: Verdict[]): string[] {
  return result.points.map((point) => {
    const mine = all.filter((v) => v.point.rows === point.rows && v.point.gapMs === point.gapMs && Number.isFinite(v.ratio));
    const ratios = mine.map((v) => v.ratio);
    const range = ratios.length ? `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}×` : 'n/a';
    const failed = mine.filter((v) => !holds(v.ratio));
    const where = (vs: Verdict[]) => vs.map((v) => `K=${v.agents} ${v.topology === 'one' ? 'on one instance' : 'behind nginx'}`).join(', ');
    const head = `- **${pointLabel(point)}** (a buffered result after ${ms(point.rows * point.gapMs, 0)} ms, the first row after ${ms(point.gapMs, 0)} ms): JSON Lines first piece ÷ buffered JSON = ${range}`;
    if (mine.length === 0) return `${head}: not measured.`;
    if (failed.length === 0) return `${head}: **the claim holds** at every K on both topologies.`;
    if (failed.length === mine.length) return `${head}: **the claim does not hold** at any K or topology.`;
    return `${head}: the claim holds except at ${where(failed)}.`;
  });
}

function verdictTable(all: Verdict[], topology: Topology): string {
  return table(
    ['cursor N × g', 'K', 'buffered JSON', 'SDK 2.x (buffered)', 'SSE, progress only', 'SSE + partials', 'JSON Lines + partials', 'JSON Lines ÷ buffered', 'SSE + partials ÷ buffered', 'JSON Lines ÷ SDK', '−40%?'],
    all
      .filter((v) => v.topology === topology)
      .map((v) => [
        pointLabel(v.point),
        String(v.agents),
        ms(v.buffered?.firstMs.p50 ?? NaN),
        ms(v.sdk?.firstMs.p50 ?? NaN),
        ms(v.progress?.firstMs.p50 ?? NaN),
        ms(v.ssePartial?.firstMs.p50 ?? NaN),
        ms(v.jsonl?.firstMs.p50 ?? NaN),
        ratioText(v.ratio),
        ratioText((v.ssePartial?.firstMs.p50 ?? NaN) / (v.buffered?.firstMs.p50 ?? NaN)),
        ratioText((v.jsonl?.firstMs.p50 ?? NaN) / (v.sdk?.firstMs.p50 ?? NaN)),
        Number.isFinite(v.ratio) ? (holds(v.ratio) ? 'holds' : '**does not hold**') : 'n/a',
      ]),
  );
}

/** "a–b×" over the finite ratios, or n/a. */
function spread(ratios: number[]): string {
  const finite = ratios.filter(Number.isFinite);
  return finite.length ? `${Math.min(...finite).toFixed(2)}–${Math.max(...finite).toFixed(2)}×` : 'n/a';
}

/** What the other modes show beside the verdict: framing, today's SSE, the SDK. */
function modeNotes(all: Verdict[]): string[] {
  const ratio = (a: LoopCell | undefined, b: LoopCell | undefined) => (a?.firstMs.p50 ?? NaN) / (b?.firstMs.p50 ?? NaN);
  const framing = all.filter((v) => v.point.rows > 1).map((v) => ratio(v.ssePartial, v.jsonl)).filter(Number.isFinite);
  const typical = median(framing);
  const verdict =
    typical >= 0.9 && typical <= 1.1 ? 'the two framings bring the first piece alike at the median; the opt-in to partial results, not the framing, is what cuts the wait' : `SSE is typically ${typical < 1 ? 'faster' : 'slower'} here`;
  return [
    `- SSE + partial results ÷ JSON Lines + partial results, first piece, wherever there was more than one row: ${spread(framing)}, median ${Number.isFinite(typical) ? typical.toFixed(2) : 'n/a'}×: ${verdict}.`,
    `- SSE with progress only (today's streaming) ÷ buffered JSON: ${spread(all.map((v) => ratio(v.progress, v.buffered)))}: a stream that carries only progress brings the rows no sooner.`,
    `- Buffered JSON ÷ the SDK 2.x (both buffered): ${spread(all.map((v) => ratio(v.buffered, v.sdk)))}; where the "JSON Lines ÷ SDK" column is lower than "JSON Lines ÷ buffered", the difference is the SDK's own per-request cost, not streaming.`,
  ];
}

/** The cost table in words: ranges over the points with something to stream, at the largest K. */
function costNotes(result: AgentLoopResult, all: Verdict[]): string[] {
  const k = Math.max(...result.agentCounts);
  const rows = all.filter((v) => v.agents === k && v.point.rows > 1 && v.buffered && v.jsonl);
  if (rows.length === 0) return [];
  const r = (pick: (c: LoopCell) => number) => spread(rows.map((v) => pick(v.jsonl!) / pick(v.buffered!)));
  const open = Math.max(...rows.map((v) => v.jsonl!.maxInFlight));
  const harness = Math.max(...result.cells.map((c) => c.harnessCpuShare));
  return [
    `At K = ${k}, over the points with more than one row, JSON Lines + partial results against buffered JSON: each step's total p50 ${r((c) => c.totalMs.p50)} and p99 ${r((c) => c.totalMs.p99)}; ` +
      `the agent loop ${r((c) => c.loopMs.p50)} as long and all of an agent's results in after ${r((c) => c.allInMs)} the time; steps/s ${r((c) => c.stepsPerSecond)}; server CPU per step ${r((c) => c.serverCpuMsPerStep)}; bytes per step ${r((c) => c.bytesPerStep)}. ` +
      `A streaming agent overlaps its steps, so up to ${open} calls were open at once instead of ${k}: the server holds that many cursors and streams, and each call takes longer when the machine is busy. ` +
      `The harness (every agent, one core) was at most ${Math.round(harness * 100)}% busy in any cell.`,
  ];
}

/** At the largest K: what the streaming consumer pays and gains against the buffered one. */
function costTable(result: AgentLoopResult, all: Verdict[]): string {
  const k = Math.max(...result.agentCounts);
  return table(
    ['cursor N × g', 'topology', 'step total p50 ms', 'step total p99 ms', 'agent loop p50 ms', 'all results in p50 ms', 'steps/s', 'server CPU ms/step', 'bytes/step', 'calls open at once (max)'],
    all
      .filter((v) => v.agents === k && v.buffered && v.jsonl)
      .map((v) => {
        const b = v.buffered!;
        const j = v.jsonl!;
        return [
          pointLabel(v.point),
          v.topology === 'one' ? 'one' : 'nginx',
          arrow(b.totalMs.p50, j.totalMs.p50),
          arrow(b.totalMs.p99, j.totalMs.p99),
          arrow(b.loopMs.p50, j.loopMs.p50, 0),
          arrow(b.allInMs, j.allInMs, 0),
          arrow(b.stepsPerSecond, j.stepsPerSecond),
          `${arrow(b.serverCpuMsPerStep, j.serverCpuMsPerStep, 2)} (SSE + partials ${ms(v.ssePartial?.serverCpuMsPerStep ?? NaN, 2)})`,
          `${int(b.bytesPerStep)} → ${int(j.bytesPerStep)}`,
          `${b.maxInFlight} → ${j.maxInFlight}`,
        ];
      }),
  );
}

function detailTable(result: AgentLoopResult): string {
  // The order the run used: topology, then point, then K, then configuration.
  const rank = (c: LoopCell) => [
    c.topology === 'one' ? 0 : 1,
    result.points.findIndex((p) => p.rows === c.rows && p.gapMs === c.gapMs),
    result.agentCounts.indexOf(c.agents),
    result.configs.findIndex((x) => configId(x) === configId(c)),
  ];
  const cells = [...result.cells].sort((a, b) => {
    const [ra, rb] = [rank(a), rank(b)];
    return ra.reduce((d, v, i) => d || v - rb[i]!, 0);
  });
  return table(
    ['topology', 'cursor N × g', 'K', 'configuration', 'first p50 / p99 ms', 'total p50 / p99 ms', 'agent loop p50 / max ms', 'all in p50 ms', 'steps/s', 'CPU ms/step', 'harness CPU', 'bytes/step', 'open max', 'calls / wrong'],
    cells.map((c) => [
      c.topology === 'one' ? 'one' : 'nginx',
      pointLabel(c),
      String(c.agents),
      configLabel(c),
      `${ms(c.firstMs.p50)} / ${ms(c.firstMs.p99)}`,
      `${ms(c.totalMs.p50)} / ${ms(c.totalMs.p99)}`,
      `${ms(c.loopMs.p50, 0)} / ${ms(c.loopMs.max, 0)}`,
      ms(c.allInMs, 0),
      ms(c.stepsPerSecond),
      ms(c.serverCpuMsPerStep, 2),
      `${Math.round(c.harnessCpuShare * 100)}%`,
      int(c.bytesPerStep),
      String(c.maxInFlight),
      `${c.calls} / ${c.errors === 0 ? '0' : `**${c.errors}**: ${(c.firstError ?? '').slice(0, 120)}`}`,
    ]),
  );
}

export function agentLoopSection(result: AgentLoopResult): string[] {
  const m = result.meta;
  const all = verdicts(result);
  const k = Math.max(...result.agentCounts);
  const load = (values: number[]) => values.map((n) => n.toFixed(2)).join(' ');
  const out: string[] = ['## Multi-agent tool loop', ''];
  out.push(
    `K simulated agents (K = ${result.agentCounts.join(', ')}) each run L = ${result.steps} steps. A step calls \`cursor { rows: N, gapMs: g }\`, a database cursor that reads N rows, each g ms after the one before (the first too): the whole result exists after N × g, its first row after g. ` +
      "A streaming consumer starts its next step at the step's first usable piece (the first row, sent as a partial result); a buffered consumer at the whole result. " +
      'The rest of a streamed call is still read to its end in the background, so the server finishes its work either way.',
    '',
    `**The founding claim**, made precise: time to first token = request sent → first usable result content arrives (for a buffered consumer, the whole result); "−40%" = streaming p50 ≤ ${CLAIM_RATIO} × buffered p50, both from the same run. ` +
      "Streaming is JSON Lines with partial results (the product's original form); buffered is a conforming client's request without the opt-in (one JSON body). " +
      `The ideal ratio is 1/N; what the table shows on top of it is HTTP, protocol, proxy and scheduling cost.`,
    '',
    `Generated by \`${m.command}\` on ${m.date.slice(0, 16).replace('T', ' ')} UTC; it took ${minutes(m.durationSeconds)}. ` +
      `**Machine load**: ${m.nproc} cores (${m.cpuModel}) shared with other work; load average ${load(m.loadAverageStart)} at the start and ${load(m.loadAverageEnd)} at the end (1, 5, 15 min), so absolute times carry scheduling delay and single cells are noisy; the ratios compare configurations measured in turn under the same load. ` +
      `Settings: \`${m.settings}\`.`,
    '',
  );

  out.push('### Verdict on −40% time to first token', '');
  out.push(...summary(result, all), ...modeNotes(all), '');
  for (const topology of ['one', 'nginx'] as const) {
    if (!all.some((v) => v.topology === topology)) continue;
    out.push(`First usable piece, p50 ms, ${TOPOLOGY_LABELS[topology]}:`, '');
    out.push(verdictTable(all, topology), '');
  }

  out.push(`### What streaming costs and gains (K = ${k}, buffered JSON → JSON Lines + partial results)`, '');
  out.push(
    'Step total: request → response complete. Agent loop: an agent\'s start → the first usable piece of its last step (its loop is through); all results in: → its last response complete. ' +
      `Steps/s: the ${k} agents' ${k * result.steps} steps over the time until every response completed. Server CPU: every instance's CPU time per step from /proc (nginx not counted). ` +
      'Bytes/step: response body bytes; a streamed call carries each row twice, once as a piece and once in the complete final result. Calls open at once: a streaming agent overlaps its steps.',
    '',
  );
  out.push(costTable(result, all), '', ...costNotes(result, all), '');

  if (result.failures.length) out.push('Not measured or wrong:', '', ...result.failures.map((f) => `- ${f}`), '');

  out.push('<details><summary>Every cell (p50/p99 over all steps of all agents; K = 1 has only L samples, so its p99 is about its maximum)</summary>', '');
  out.push(detailTable(result), '', '</details>', '');

  out.push(
    'How it is measured:',
    '',
    '- **Servers**: stateless-mcp serves `cursor` as an async-generator tool (`bench/servers/ours-cursor.ts`, each row a piece and a progress notification, each sent only when the call asks); the official SDK 2.x ' +
      `(${m.sdk}) serves the same tool returning every row at the end (\`bench/servers/sdk-cursor.ts\`; it has no partial results). Both are bundled and run like every Node server of this file, on @hono/node-server, 2026-07-28 requests. ` +
      `"Three instances behind nginx": three processes of the same server and nginx (${m.nginx}) round-robin in front, the test suite's configuration (\`test/cluster/nginx.ts\`: no affinity, default proxy buffering; stateless-mcp's streams carry \`X-Accel-Buffering: no\`). ` +
      'Server processes are pinned to one core (the three instances share it), the harness to the other; nginx is not pinned. No Redis: a stateless tool call needs nothing shared.',
    '- **Modes** (stateless-mcp): buffered JSON (`Accept: application/json, text/event-stream`, no opt-in); SSE, progress only, as a client of today\'s streaming sees it (the same Accept and a `progressToken`: the rows come in the final result only); ' +
      'SSE + partial results (`partialResults` capability and `partialResultToken`); JSON Lines + partial results (the same opt-in, `Accept: application/json-lines` alone).',
    '- **Agents**: one keep-alive `node:http` agent each, reading response bytes as they arrive, one reader for every mode and both servers, so the differences are the wire format and the server, not client code. ' +
      "(`stateless-mcp/client`'s `streamTool` reads the same frames; it would add the same parsing to every mode.) Every response is checked fully: its Content-Type, rows 1–N in order in the final result, N partial results with seq 0…N−1 when opted in, none otherwise, and N progress notifications in the progress mode; a wrong one is counted and left out of the times.",
    '- **Order**: every configuration runs once per (N × g, K), the order rotated each time, after an unrecorded warm-up of each; server CPU time comes from /proc in 10 ms clock ticks, so it means something only with many steps (K = 32).',
    '',
  );
  return out;
}

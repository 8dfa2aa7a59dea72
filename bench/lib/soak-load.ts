// The soak's load: `connections` loops, each with its own client, calling the demo server back to
// back through a rotation of mixed calls, and checking every answer. One loop in five speaks the
// 2025 lane (sealed session, elicitation as a server-to-client request); of the 2026 loops, every
// other one asks for JSON Lines, so streamed calls are read in both framings.
import { createClient } from '../../src/client/index.ts';
import type { McpClient } from '../../src/client/index.ts';

export const KINDS = ['echo', 'stream-progress', 'stream-partials', 'mrtr', 'lists'] as const;
export type Kind = (typeof KINDS)[number];
export type Lane = 'modern-sse' | 'modern-jsonl' | 'legacy';

export interface Tally {
  ok: number;
  failed: number;
}

/** Operations per lane and kind, counted since the start. */
export type Counts = Record<Lane, Record<Kind, Tally>>;

export interface LoadRun {
  counts: Counts;
  /** The first few distinct failures, with where they happened. */
  errors: string[];
  stop(): Promise<void>;
}

const STEPS = 3;
const ROWS = 3;
const NAME = 'soak';

function laneOf(loop: number): Lane {
  if (loop % 5 === 4) return 'legacy';
  return loop % 2 === 0 ? 'modern-sse' : 'modern-jsonl';
}

function text(result: { content?: unknown }): string {
  const first = Array.isArray(result.content) ? (result.content[0] as { text?: unknown } | undefined) : undefined;
  return typeof first?.text === 'string' ? first.text : JSON.stringify(result);
}

function expect(what: string, actual: unknown, wanted: unknown): void {
  if (actual !== wanted) throw new Error(`${what}: got ${JSON.stringify(actual)}, expected ${JSON.stringify(wanted)}`);
}

/** One operation of a kind; throws when the answer is not the one the demo gives. */
async function operate(client: McpClient, kind: Kind, n: number): Promise<void> {
  switch (kind) {
    case 'echo': {
      const result = await client.callTool('echo', { text: `soak ${n}` });
      return expect('echo', text(result), `soak ${n}`);
    }
    case 'stream-progress': {
      let progress = 0;
      const result = await client.callTool('slow_stream', { steps: STEPS, intervalMs: 5 }, { onProgress: () => void progress++ });
      expect('slow_stream result', text(result), `done after ${STEPS} steps`);
      return expect('slow_stream progress notifications', progress, STEPS);
    }
    case 'stream-partials': {
      let pieces = 0;
      const result = await client.callTool('query_rows', { rows: ROWS, intervalMs: 5 }, { onPartial: () => void pieces++ });
      expect('query_rows rows in the result', result.content?.length, ROWS);
      return expect('query_rows partial results', pieces, ROWS);
    }
    case 'mrtr': {
      const result = await client.callTool('greet', {});
      return expect('greet', text(result), `Hello, ${NAME}!`);
    }
    case 'lists': {
      // fresh: past the client's list cache, so every page is a request (two items a page).
      expect('tools/list', (await client.listTools({ fresh: true })).length, 5);
      expect('prompts/list', (await client.listPrompts({ fresh: true })).length, 1);
      return expect('resources/templates/list', (await client.listResourceTemplates({ fresh: true })).length, 1);
    }
  }
}

function emptyCounts(): Counts {
  const lane = () => Object.fromEntries(KINDS.map((k) => [k, { ok: 0, failed: 0 }])) as Record<Kind, Tally>;
  return { 'modern-sse': lane(), 'modern-jsonl': lane(), legacy: lane() };
}

/** Starts the loops against `url`; they run until stop() and count every operation. */
export function startLoad(url: string, connections: number): LoadRun {
  const counts = emptyCounts();
  const errors: string[] = [];
  let stopped = false;
  const loops = Array.from({ length: connections }, async (_, loop) => {
    const lane = laneOf(loop);
    const client = createClient(url, {
      era: lane === 'legacy' ? 'legacy' : 'modern',
      preferJsonLines: lane === 'modern-jsonl',
      handlers: { elicitation: () => ({ action: 'accept', content: { name: NAME } }) },
      timeoutMs: 60_000,
    });
    for (let n = loop; !stopped; n++) {
      const kind = KINDS[n % KINDS.length]!;
      try {
        await operate(client, kind, n);
        counts[lane][kind].ok++;
      } catch (error) {
        counts[lane][kind].failed++;
        const line = `${lane} ${kind}: ${error instanceof Error ? error.message : JSON.stringify(error)}`.slice(0, 300);
        if (errors.length < 20 && !errors.includes(line)) errors.push(line);
      }
    }
    await client.close();
  });
  return {
    counts,
    errors,
    async stop() {
      stopped = true;
      await Promise.all(loops);
    },
  };
}

/** Sum of successful operations per kind over all lanes. */
export function okByKind(counts: Counts): Record<Kind, number> {
  return Object.fromEntries(KINDS.map((k) => [k, Object.values(counts).reduce((sum, lane) => sum + lane[k].ok, 0)])) as Record<Kind, number>;
}

/** Successful 2026-07-28 MRTR round trips: each leaves one requestState claim record. */
export function modernMrtr(counts: Counts): number {
  return counts['modern-sse'].mrtr.ok + counts['modern-jsonl'].mrtr.ok;
}

export function failedTotal(counts: Counts): number {
  return Object.values(counts).reduce((sum, lane) => sum + KINDS.reduce((s, k) => s + lane[k].failed, 0), 0);
}

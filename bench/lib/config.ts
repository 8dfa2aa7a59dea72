// Run settings from the environment. A full run is the default; BENCH_QUICK=1 is a smoke run.
const quick = process.env.BENCH_QUICK === '1';

function num(name: string, full: number, smoke: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return quick ? smoke : full;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new TypeError(`${name} must be a non-negative number, got "${raw}".`);
  return value;
}

export const PHASES = ['load', 'cold', 'stream', 'agents', 'runtimes', 'bundle', 'profile'] as const;
export type Phase = (typeof PHASES)[number];

function phases(): Phase[] {
  const raw = process.env.BENCH_PHASES;
  if (!raw) return [...PHASES];
  const wanted = raw.split(',').map((p) => p.trim()).filter(Boolean);
  for (const p of wanted) if (!(PHASES as readonly string[]).includes(p)) throw new TypeError(`BENCH_PHASES: unknown phase "${p}"; choose from ${PHASES.join(', ')}.`);
  return wanted as Phase[];
}

/** One result shape of the agent loop's cursor tool: `rows` pieces, `gapMs` apart. */
export interface CursorPoint {
  rows: number;
  gapMs: number;
}

/** "10x20,50x10" → rows × gap in ms; what to fix is named when a point is malformed. */
export function parsePoints(name: string, text: string): CursorPoint[] {
  return text.split(',').map((part) => {
    const match = /^\s*(\d+)\s*x\s*(\d+(?:\.\d+)?)\s*$/.exec(part);
    if (!match || Number(match[1]) < 1) throw new TypeError(`${name}: "${part}" is not a point; write rows x gap in ms, e.g. 10x20,50x10.`);
    return { rows: Number(match[1]), gapMs: Number(match[2]) };
  });
}

/** "1,8,32" → positive whole numbers. */
export function parseCounts(name: string, text: string): number[] {
  return text.split(',').map((part) => {
    const value = Number(part.trim());
    if (!Number.isSafeInteger(value) || value < 1) throw new TypeError(`${name}: "${part}" is not a positive whole number; write e.g. 1,8,32.`);
    return value;
  });
}

function fromEnv<T>(name: string, full: string, smoke: string, parse: (name: string, text: string) => T): T {
  const raw = process.env[name];
  return parse(name, raw === undefined || raw === '' ? (quick ? smoke : full) : raw);
}

export const config = {
  quick,
  /** Seconds of measured load per run (whole seconds: wrk's unit). */
  seconds: num('BENCH_SECONDS', 10, 1),
  /** Seconds of warm-up load before the first measured run (0: none)... */
  warmup: num('BENCH_WARMUP', 3, 1),
  /** ...for every request a server serves (full run), or only its first (smoke run). */
  warmupEvery: !quick,
  /** Interleaved rounds: every server runs once per round, so drift hits all alike. */
  rounds: num('BENCH_ROUNDS', 3, 1),
  /** Tries per run when another process took the server's core (or starved the load generator). */
  attempts: num('BENCH_ATTEMPTS', 3, 2),
  connections: num('BENCH_CONNECTIONS', 50, 50),
  coldStarts: num('BENCH_COLD_STARTS', 15, 5),
  streamSamples: num('BENCH_STREAM_SAMPLES', 20, 5),
  /** Agent loop: steps each agent runs, how many agents run at once, and the cursor's rows × gap. */
  agentSteps: num('BENCH_AGENT_STEPS', 10, 3),
  agentCounts: fromEnv('BENCH_AGENT_COUNTS', '1,8,32', '1,8', parseCounts),
  agentPoints: fromEnv('BENCH_AGENT_POINTS', '10x20,10x100,50x10,1x100,5x2', '10x20,5x2', parsePoints),
  profileSeconds: num('BENCH_PROFILE_SECONDS', 10, 2),
  serverCpu: num('BENCH_SERVER_CPU', 0, 0),
  clientCpu: num('BENCH_CLIENT_CPU', 1, 1),
  /** A run is clean when other work took at most this share of the server's core... */
  maxForeign: num('BENCH_MAX_FOREIGN', 0.1, 0.1),
  /** ...and the server was busy at least this share of the time (else the load generator was starved). */
  minServerShare: num('BENCH_MIN_SERVER_SHARE', 0.85, 0.85),
  phases: phases(),
  /** Only these server ids (comma-separated), for debugging one server. */
  servers: process.env.BENCH_SERVERS?.split(',').map((s) => s.trim()).filter(Boolean),
};

export type Config = typeof config;

/** The settings as an env line that reproduces them. */
export function describeConfig(): string {
  const c = config;
  return `BENCH_SECONDS=${c.seconds} BENCH_WARMUP=${c.warmup} BENCH_ROUNDS=${c.rounds} BENCH_ATTEMPTS=${c.attempts} BENCH_CONNECTIONS=${c.connections} BENCH_COLD_STARTS=${c.coldStarts} BENCH_STREAM_SAMPLES=${c.streamSamples}`;
}

// CPU profile of a server under echo load: `node --cpu-prof` on the same bundle the load phase
// runs; frames are mapped back to their source files through the module comments esbuild writes
// into a non-minified bundle. Only samples taken during the measured load window count.
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { config } from './config.ts';
import { runWrk } from './load.ts';
import { log } from './log.ts';
import { profilesDir, root } from './paths.ts';
import { freePort, startPinned } from './proc.ts';
import { expectedMarkers, operationRequest } from './requests.ts';
import type { Form } from './requests.ts';
import { NODE_SERVERS, prepare } from './servers.ts';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileEntry {
  name: string;
  location: string;
  selfMs: number;
  selfShare: number;
}

export interface ProfileSummary {
  target: string;
  form: Form;
  file: string;
  rps: number;
  windowMs: number;
  /** Top functions by self time. */
  top: ProfileEntry[];
  /** Self time grouped by where the code lives. */
  areas: { area: string; selfMs: number; selfShare: number }[];
  /** Our source functions by total (inclusive) time. */
  oursInclusive: ProfileEntry[];
}

/** Maps a frame in a bundle to the source file it came from; other frames pass through. */
export type FrameMapper = (frame: CallFrame) => CallFrame;

/** A mapper for an esbuild bundle (not minified): each module starts after a `// path` comment. */
export function bundleMapper(bundleFile: string): FrameMapper {
  const starts: { line: number; file: string }[] = [];
  readFileSync(bundleFile, 'utf8')
    .split('\n')
    .forEach((text, line) => {
      const m = /^\/\/ ((?:node_modules|src|bench)\/\S+\.(?:m?js|cjs|ts|mts))$/.exec(text);
      if (m) starts.push({ line, file: m[1]! });
    });
  const url = `file://${bundleFile}`;
  return (frame) => {
    if (frame.url !== url) return frame;
    let file: string | undefined;
    for (const s of starts) {
      if (s.line > frame.lineNumber) break;
      file = s.file;
    }
    return file ? { ...frame, url: `file://${root}${file}` } : frame;
  };
}

function location(frame: CallFrame): string {
  if (!frame.url) return '(native)';
  return frame.url.replace(/^file:\/\//, '').replace(root, '');
}

function areaOf(frame: CallFrame): string {
  const name = frame.functionName;
  if (name === '(garbage collector)') return 'garbage collection';
  if (name === '(idle)') return 'idle';
  if (name === '(program)') return 'V8/native (program)';
  const url = frame.url.replace(/^file:\/\//, '');
  if (!url) return 'V8 builtins / native';
  if (url.startsWith('node:')) return `Node internals (${url.startsWith('node:internal/streams') || url.startsWith('node:internal/webstreams') ? 'streams' : url.startsWith('node:internal/deps/undici') ? 'undici (fetch/Request/Response)' : url.includes('http') || url.includes('net') ? 'http/net' : 'other'})`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (pkg) return pkg[1]!;
  const src = /\/src\/([^/]+)\/([^/]+)$/.exec(url);
  if (src) return `stateless-mcp src/${src[1]}/${src[2]}`;
  if (url.includes('/bench/')) return 'bench server code';
  return url;
}

/** Summarises a .cpuprofile, keeping only samples at or after `fromUs` on the monotonic clock. */
export function summarise(profile: CpuProfile, fromUs: number, map: FrameMapper = (f) => f): { top: ProfileEntry[]; areas: ProfileSummary['areas']; oursInclusive: ProfileEntry[]; windowMs: number } {
  const byId = new Map(profile.nodes.map((n) => [n.id, { ...n, callFrame: map(n.callFrame) }]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  let t = profile.startTime;
  let windowUs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    if (t < fromUs) continue;
    const delta = profile.timeDeltas[i + 1] ?? 0; // time until the next sample is this sample's weight
    windowUs += delta;
    self.set(profile.samples[i]!, (self.get(profile.samples[i]!) ?? 0) + delta);
  }
  const busyUs = windowUs;
  const fnKey = (f: CallFrame) => `${f.functionName || '(anonymous)'}|${location(f)}`;
  const selfByFn = new Map<string, number>();
  const areaTotals = new Map<string, number>();
  const inclusiveByFn = new Map<string, number>();
  for (const [id, us] of self) {
    const node = byId.get(id)!;
    selfByFn.set(fnKey(node.callFrame), (selfByFn.get(fnKey(node.callFrame)) ?? 0) + us);
    const area = areaOf(node.callFrame);
    areaTotals.set(area, (areaTotals.get(area) ?? 0) + us);
    // Inclusive time of our own functions: walk up once per distinct function on the stack.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)!.callFrame;
      if (!frame.url.includes('/src/')) continue;
      const key = fnKey(frame);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusiveByFn.set(key, (inclusiveByFn.get(key) ?? 0) + us);
    }
  }
  const entries = (map: Map<string, number>, limit: number): ProfileEntry[] =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([key, us]) => {
        const [name = '', loc = ''] = key.split('|');
        return { name, location: loc, selfMs: us / 1000, selfShare: us / busyUs };
      });
  return {
    top: entries(selfByFn, 30),
    areas: [...areaTotals].sort((a, b) => b[1] - a[1]).map(([area, us]) => ({ area, selfMs: us / 1000, selfShare: us / busyUs })),
    oursInclusive: entries(inclusiveByFn, 20),
    windowMs: windowUs / 1000,
  };
}

const TARGETS: { server: string; form: Form }[] = [
  { server: 'ours', form: '2026' },
  { server: 'ours', form: '2025' },
  { server: 'hono', form: '2026' },
];

export async function runProfiles(): Promise<ProfileSummary[]> {
  mkdirSync(profilesDir, { recursive: true });
  const summaries: ProfileSummary[] = [];
  for (const { server, form } of TARGETS) {
    const def = NODE_SERVERS.find((d) => d.id === server)!;
    const target = def.label;
    const name = `${server}-echo-${form}`;
    log(`profile: ${target}, tools/call echo (${form} form), ${config.profileSeconds} s under load`);
    const port = await freePort();
    const start = (await prepare(def))(port, { nodeArgs: ['--cpu-prof', '--cpu-prof-dir', profilesDir, '--cpu-prof-name', `${name}.cpuprofile`] });
    const bundle = start.args[start.args.length - 1]!;
    const { running, whenReady } = startPinned({ ...start, cpu: config.serverCpu });
    try {
      await whenReady;
      const url = `http://127.0.0.1:${port}/mcp`;
      const spec = operationRequest(form, 'echo');
      await runWrk(url, spec, expectedMarkers('echo'), { seconds: Math.max(1, config.warmup), connections: config.connections, cpu: config.clientCpu });
      const fromUs = Number(process.hrtime.bigint() / 1000n);
      const result = await runWrk(url, spec, expectedMarkers('echo'), { seconds: config.profileSeconds, connections: config.connections, cpu: config.clientCpu });
      await running.stop();
      const file = `${profilesDir}${name}.cpuprofile`;
      if (!readdirSync(profilesDir).includes(`${name}.cpuprofile`)) throw new Error(`no profile written at ${file}`);
      const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
      const summary = summarise(profile, fromUs, bundleMapper(bundle));
      summaries.push({ target, form, file: file.replace(root, ''), rps: result.rps, ...summary });
      log(`  ${Math.round(result.rps)} req/s with the profiler on; top self time:`);
      for (const e of summary.top.slice(0, 8)) log(`    ${(e.selfShare * 100).toFixed(1).padStart(5)}%  ${e.name} ${e.location}`);
    } catch (error) {
      log(`  FAILED: ${(error as Error).message.split('\n')[0]}`);
    } finally {
      await running.stop();
    }
  }
  return summaries;
}

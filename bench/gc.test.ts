// The 2026 form must not keep each call's objects alive past a minor GC: that once cost a third of
// the time in the garbage collector (a fresh closure stored per call on the MRTR round let V8
// pretenure the request's objects). Measured against bare Hono answering the same request, each
// case in its own process (bench/gc.ts): bytes, not times, so a busy machine does not move it.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('./gc.ts', import.meta.url));

function survivingBytes(app: number): number {
  const out = execFileSync(process.execPath, ['--import', 'tsx', script, '2026', 'echo', String(app)], {
    encoding: 'utf8',
    env: { ...process.env, BENCH_GC_REQUESTS: '3000' },
  });
  const match = /([\d,]+) B surviving/.exec(out);
  if (!match) throw new Error(`bench/gc.ts printed no surviving bytes: ${out}`);
  return Number(match[1]!.replaceAll(',', ''));
}

describe('2026 tools/call allocation', () => {
  // Fails until the MRTR round stops taking a fresh closure per call (input-round.ts; see the perf report).
  it('keeps no more than 3x what bare Hono keeps alive per request past a minor GC', () => {
    const hono = survivingBytes(0);
    // The lower of two runs: V8 decides pretenuring from samples, so one run can tip either way.
    const ours = Math.min(survivingBytes(1), survivingBytes(1));
    expect(ours, `stateless-mcp keeps ${ours} B per request, bare Hono ${hono} B`).toBeLessThan(3 * hono);
  }, 300_000);
});

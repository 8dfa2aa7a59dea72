// The multi-agent tool-loop benchmark on its own (`npm run bench` runs it too, as its `agents`
// phase): `node --import tsx bench/agent-loop.ts`, about 7 minutes; BENCH_QUICK=1 for a smoke run
// of about 20 s. It replaces the agent-loop results in bench/results/results.json (smoke: under
// bench/results/smoke/) and re-renders BENCHMARKS.md from them, exactly as the full run would; the
// other sections keep the numbers of the last full run. Settings: BENCH_AGENT_* in bench/lib/config.ts.
import { runAgentLoop } from './lib/agent-loop-phase.ts';
import { config } from './lib/config.ts';
import { log } from './lib/log.ts';
import { runMeta } from './lib/meta.ts';
import { readResults, writeOutputs } from './lib/outputs.ts';
import { pinSelf, runToEnd } from './lib/proc.ts';
import { NODE_SERVERS, RUNTIME_SERVERS } from './lib/servers.ts';

await runToEnd(async () => {
  pinSelf(config.clientCpu);
  const command = `${config.quick ? 'BENCH_QUICK=1 ' : ''}node --import tsx bench/agent-loop.ts`;
  const agentLoop = await runAgentLoop(command);
  // No earlier run (a fresh smoke directory): a report holding this section alone.
  const results = readResults() ?? { meta: { ...runMeta(), phases: ['agents'] }, servers: [...NODE_SERVERS, ...RUNTIME_SERVERS] };
  results.agentLoop = agentLoop;
  writeOutputs(results);
  log(`agent loop: done in ${Math.round(agentLoop.meta.durationSeconds)} s`);
});

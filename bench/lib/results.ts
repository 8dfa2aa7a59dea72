// The shape of one bench run's results (bench/results/results.json), which the report renders.
import type { AgentLoopResult } from './agent-loop-phase.ts';
import type { BundleResult } from './bundle-phase.ts';
import type { ColdResult } from './cold-phase.ts';
import type { LoadOutcome } from './load-phase.ts';
import type { ProfileSummary } from './profile-phase.ts';
import type { ServerDef } from './servers.ts';
import type { StreamResult } from './stream-phase.ts';

export interface Machine {
  nproc: number;
  cpuModel: string;
  memoryGiB: number;
  kernel: string;
  loadAverageStart: number[];
  loadAverageEnd?: number[];
}

export interface Results {
  meta: {
    date: string;
    quick: boolean;
    settings: string;
    command: string;
    machine: Machine;
    nodeVersion: string;
    versions: Record<string, string>;
    commit: string;
    phases: string[];
    durationSeconds?: number;
  };
  servers: ServerDef[];
  load?: LoadOutcome;
  runtimes?: LoadOutcome;
  cold?: ColdResult[];
  stream?: StreamResult[];
  /** The multi-agent tool loop; `bench/agent-loop.ts` run alone replaces only this. */
  agentLoop?: AgentLoopResult;
  bundles?: BundleResult[];
  profiles?: ProfileSummary[];
}

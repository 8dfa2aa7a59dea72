// Where a run's results land: results.json, the chart and BENCHMARKS.md (a smoke run: under
// bench/results/smoke/, so it never overwrites a real run).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { renderChart } from './chart.ts';
import { config } from './config.ts';
import { log } from './log.ts';
import { resultsDir, root } from './paths.ts';
import { renderReport } from './report.ts';
import type { Results } from './results.ts';
import { renderSoak, spliceSoak } from './soak-report.ts';
import type { SoakResults } from './soak-report.ts';

export const outDir = config.quick ? `${resultsDir}smoke/` : resultsDir;
const reportFile = config.quick ? `${outDir}BENCHMARKS.md` : `${root}BENCHMARKS.md`;
const resultsFile = `${outDir}results.json`;

/** The last run's results, if there is one. */
export function readResults(): Results | undefined {
  return existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as Results) : undefined;
}

/** The full report keeps the Soak section of the last `bench/soak.ts` run (a separate, 30-minute command). */
function withSoak(report: string): string {
  const file = `${resultsDir}soak.json`;
  if (config.quick || !existsSync(file)) return report;
  return spliceSoak(report, renderSoak(JSON.parse(readFileSync(file, 'utf8')) as SoakResults));
}

export function writeOutputs(results: Results): void {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(resultsFile, `${JSON.stringify(results, null, 1)}\n`);
  const chartFile = `${outDir}chart.svg`;
  writeFileSync(chartFile, renderChart(results));
  const chartLink = chartFile.replace(reportFile.slice(0, reportFile.lastIndexOf('/') + 1), '');
  writeFileSync(reportFile, withSoak(renderReport(results, chartLink)));
  log(`wrote ${reportFile.replace(root, '')}, ${chartFile.replace(root, '')} and ${resultsFile.replace(root, '')}`);
}

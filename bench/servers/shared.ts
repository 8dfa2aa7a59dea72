// What every bench server serves, whatever library it uses: an `echo {text}` tool and a
// `slow_stream` tool sending STEPS progress notifications INTERVAL_MS apart, then answering.
export const STEPS = 5;
export const INTERVAL_MS = 20;
export const SERVER_INFO = { name: 'bench', version: '1.0.0' };
export const ECHO_DESCRIPTION = 'Returns the text it is given.';
export const SLOW_DESCRIPTION = `Sends ${STEPS} progress notifications ${INTERVAL_MS} ms apart, then answers.`;

/** The port to listen on (PORT), on every runtime that has a process.env. */
export function portFromEnv(fallback = 3000): number {
  return Number((globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env.PORT ?? fallback);
}

/**
 * A progress message carrying the moment it was emitted on the system-wide monotonic clock
 * (CLOCK_MONOTONIC, which process.hrtime reads in every process), so the bench client can tell
 * how long a notification took to reach it.
 */
export function stampedMessage(step: number): string {
  const now = (globalThis as { process?: { hrtime?: { bigint(): bigint } } }).process?.hrtime?.bigint();
  return `step ${step} emitted@${now ?? 'none'}`;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The line a server prints once it answers, which the harness waits for. */
export function ready(port: number): void {
  console.log(`READY ${port}`);
}

/**
 * Exit cleanly on SIGTERM/SIGINT, so `node --cpu-prof` writes its profile (Node servers only).
 */
export function exitOnSignal(): void {
  const proc = (globalThis as { process?: { once(event: string, listener: () => void): void; exit(code: number): void } }).process;
  for (const signal of ['SIGTERM', 'SIGINT']) proc?.once(signal, () => proc.exit(0));
}

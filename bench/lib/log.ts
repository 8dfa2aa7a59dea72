// Progress lines with the elapsed time, so a long run shows where it is.
const start = performance.now();

export function elapsed(): string {
  const s = Math.round((performance.now() - start) / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

export function log(message: string): void {
  console.log(`[${elapsed()}] ${message}`);
}

export function elapsedSeconds(): number {
  return (performance.now() - start) / 1000;
}

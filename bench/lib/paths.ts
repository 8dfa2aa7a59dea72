// Where the bench reads and writes.
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const benchDir = `${root}bench/`;
export const buildDir = `${benchDir}.build/`;
export const resultsDir = `${benchDir}results/`;
export const profilesDir = `${benchDir}profiles/`;
export const bin = (name: string) => `${root}node_modules/.bin/${name}`;

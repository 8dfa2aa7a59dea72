// The library is imported from this repository's src/, two folders up: let the bundler and
// output tracing reach it.
import { fileURLToPath } from 'node:url';

const repository = fileURLToPath(new URL('../..', import.meta.url));

/** @type {import('next').NextConfig} */
export default {
  turbopack: { root: repository },
  outputFileTracingRoot: repository,
};

// The file system for `stateless-mcp init`, on Node. Kept apart so the rest of the CLI type-checks
// without Node's types (tsconfig.core.json).
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Files } from './host.ts';

export const nodeFiles: Files = {
  async entries(path) {
    try {
      return await readdir(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  },
  async write(path, text) {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
  },
  // Two folders up from src/cli/ and from dist/cli/ alike: the package's root.
  manifest: async () => JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')),
};

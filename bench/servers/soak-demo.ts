// The soak's server: the demo app as `npm start` serves it (settings from the environment, our Node
// adapter), with lists paged two items at a time so list calls follow cursors. On SIGUSR2 it prints
// its heap before and after a full collection (run it with --expose-gc), so the harness can tell
// what is retained from what is merely not yet collected.
import { serve } from '../../src/adapter/node.ts';
import { createDemoApp } from '../../src/demo/app.ts';
import { readSettings } from '../../src/demo/settings.ts';
import { ready } from './shared.ts';

const settings = readSettings((name) => process.env[name]);
const gc = (globalThis as { gc?: () => void }).gc;

process.on('SIGUSR2', () => {
  const before = process.memoryUsage();
  gc?.();
  const after = process.memoryUsage();
  console.log(`HEAP ${JSON.stringify({ heapUsed: before.heapUsed, heapTotal: before.heapTotal, heapUsedAfterGc: gc ? after.heapUsed : undefined, external: after.external, arrayBuffers: after.arrayBuffers })}`);
});

await serve(createDemoApp({ ...settings.app, pageSize: 2 }), { port: settings.port, hostname: settings.hostname, onListen: ({ port }) => ready(port) });

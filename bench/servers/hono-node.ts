// Ceiling 2 on Node: the bare Hono route served by @hono/node-server.
import { serve } from '@hono/node-server';
import { createHonoApp } from './hono-app.ts';
import { portFromEnv, ready, exitOnSignal } from './shared.ts';

const port = portFromEnv();
exitOnSignal();
serve({ fetch: createHonoApp().fetch, port, hostname: '127.0.0.1' }, () => ready(port));

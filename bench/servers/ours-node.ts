// stateless-mcp on Node with zod schemas, served as its Node entry does (@hono/node-server).
import { serve } from '@hono/node-server';
import { createApp } from './ours-zod.ts';
import { portFromEnv, ready, exitOnSignal } from './shared.ts';

const port = portFromEnv();
exitOnSignal();
serve({ fetch: createApp().fetch, port, hostname: '127.0.0.1' }, () => ready(port));

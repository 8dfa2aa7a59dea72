// stateless-mcp on Node with plain JSON Schema (no schema library), on @hono/node-server.
import { serve } from '@hono/node-server';
import { createApp } from './ours-json.ts';
import { portFromEnv, ready, exitOnSignal } from './shared.ts';

const port = portFromEnv();
exitOnSignal();
serve({ fetch: createApp().fetch, port, hostname: '127.0.0.1' }, () => ready(port));

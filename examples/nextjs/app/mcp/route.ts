// POST /mcp on the Node.js runtime.
import { handle } from '../../../../src/adapter/next.ts';
import { createMcpApp } from '../../../../src/http/index.ts';
import { allowedHosts, server } from '../../lib/server.ts';

export const runtime = 'nodejs';
// Every call is a fresh POST: never prerender or cache this route.
export const dynamic = 'force-dynamic';

export const { GET, POST, DELETE, OPTIONS } = handle(createMcpApp(server, { allowedHosts }));

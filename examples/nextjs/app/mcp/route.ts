// POST /mcp on the Node.js runtime.
import { createNextHandler } from '../../../../src/adapter/next.ts';
import { allowedHosts, server } from '../../lib/server.ts';

export const runtime = 'nodejs';
// Every call is a fresh POST: never prerender or cache this route.
export const dynamic = 'force-dynamic';

export const { GET, POST, DELETE, OPTIONS } = createNextHandler(server, { allowedHosts });

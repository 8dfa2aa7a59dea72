// POST /edge/mcp on the Edge runtime: the same handler, no Node APIs.
import { createNextHandler } from '../../../../../src/adapter/next.ts';
import { allowedHosts, server } from '../../../lib/server.ts';

export const runtime = 'edge';
export const dynamic = 'force-dynamic';

export const { GET, POST, DELETE, OPTIONS } = createNextHandler(server, { allowedHosts });

// POST /edge/mcp on the Edge runtime: the same app, no Node APIs, served at this file's path.
import { handle } from '../../../../../src/adapter/next.ts';
import { createMcpApp } from '../../../../../src/http/index.ts';
import { allowedHosts, server } from '../../../lib/server.ts';

export const runtime = 'edge';
export const dynamic = 'force-dynamic';

export const { GET, POST, DELETE, OPTIONS } = handle(createMcpApp(server, { path: '/edge/mcp', allowedHosts }));

// `rest()`: the REST/OpenAPI face, opt-in through `createMcpApp(server, { rest: rest() })`. A
// factory like `tasks()`, so servers that do not serve REST do not bundle it.
import type { RestFace } from '../http/options.ts';
import { restRoutes } from './routes.ts';

export interface RestOptions {
  /** Prefix of the REST routes: `<basePath>/tools/<name>` and `<basePath>/openapi.json`. Default "/". */
  basePath?: string;
}

/**
 * Serves every tool as `POST <basePath>/tools/<name>` (the JSON body is the arguments; the answer
 * is the CallToolResult) and an OpenAPI 3.1 document at `GET <basePath>/openapi.json`, behind the
 * same checks, auth, scopes and limits as the MCP endpoint.
 *
 * @example
 * export default createMcpApp(server, { rest: rest() });
 */
export function rest(options: RestOptions = {}): RestFace {
  const basePath = options.basePath ?? '/';
  if (!basePath.startsWith('/')) throw new TypeError(`rest({ basePath: ${JSON.stringify(basePath)} }): the base path must start with "/", e.g. "/api".`);
  const base = basePath.replace(/\/+$/, '');
  return (endpoint) => restRoutes(base, endpoint);
}

export type { RestFace } from '../http/options.ts';

// The stateless-mcp bench apps and bare Hono driven in-process through app.fetch (no sockets): what
// bench/micro.ts times and bench/gc.ts weighs.
import { createHonoApp } from '../servers/hono-app.ts';
import { createApp as createOursJson } from '../servers/ours-json.ts';
import { createApp as createOursZod } from '../servers/ours-zod.ts';
import { checkResponse, operationRequest } from './requests.ts';
import type { Form, Operation } from './requests.ts';

export type App = { fetch(request: Request): Response | Promise<Response> };

export const IN_PROCESS_APPS: readonly (readonly [string, () => App])[] = [
  ['Hono route (bare)', createHonoApp],
  ['stateless-mcp (zod)', createOursZod],
  ['stateless-mcp (JSON Schema)', createOursJson],
];

export const IN_PROCESS_CASES: readonly (readonly [Form, Operation])[] = [
  ['2026', 'echo'],
  ['2025', 'echo'],
  ['2026', 'list'],
];

/** One request through app.fetch, its body read: '' when the answer is correct, else what is wrong. */
export async function fetchOnce(app: App, form: Form, operation: Operation): Promise<string> {
  const spec = operationRequest(form, operation);
  const response = await app.fetch(new Request('http://127.0.0.1:3000/mcp', { method: 'POST', headers: { ...spec.headers, host: '127.0.0.1:3000' }, body: spec.body }));
  return response.text().then((body) => checkResponse(operation, response.status, body) ?? '');
}

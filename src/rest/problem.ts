// Errors of the REST face as RFC 9457 problem details: one shape for every failure, whether the
// REST face or the MCP endpoint's gates (auth, Host/Origin, limits) refused the request.
export const PROBLEM_TYPE = 'application/problem+json';

/** One thing wrong with the body: where (a JSON Pointer into it, "" for the whole body) and what. */
export interface Problem {
  path: string;
  message: string;
}

const TITLES: ReadonlyMap<number, string> = new Map([
  [400, 'Bad Request'],
  [401, 'Unauthorized'],
  [403, 'Forbidden'],
  [404, 'Not Found'],
  [405, 'Method Not Allowed'],
  [406, 'Not Acceptable'],
  [413, 'Content Too Large'],
  [415, 'Unsupported Media Type'],
  [422, 'Unprocessable Content'],
  [429, 'Too Many Requests'],
  [500, 'Internal Server Error'],
  [503, 'Service Unavailable'],
]);

export function problem(status: number, detail: string, extra: { errors?: Problem[] } = {}, headers?: Headers): Response {
  const body = { type: 'about:blank', title: TITLES.get(status) ?? 'Error', status, detail, ...extra };
  const out = new Headers(headers);
  out.set('content-type', PROBLEM_TYPE);
  out.delete('content-length');
  return new Response(JSON.stringify(body), { status, headers: out });
}

/** RFC 6901: `["items", 0, "a/b"]` → `/items/0/a~1b`. */
export function jsonPointer(path: readonly (string | number)[]): string {
  return path.map((segment) => `/${(typeof segment === 'number' ? segment.toString() : segment).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

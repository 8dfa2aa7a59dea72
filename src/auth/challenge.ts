// RFC 6750 §3 challenges as the MCP authorization spec wants them: every 401 and 403 names the
// protected resource metadata (RFC 9728) and the scopes the operation needs.
const QUOTE_UNSAFE = /["\\\r\n]/g;

function quoted(value: string): string {
  return `"${value.replace(QUOTE_UNSAFE, '')}"`;
}

export interface ChallengeParts {
  resourceMetadata: string;
  scopes?: readonly string[];
  error?: 'invalid_request' | 'invalid_token' | 'insufficient_scope';
  description?: string;
}

export function formatChallenge(parts: ChallengeParts): string {
  const params = [`resource_metadata=${quoted(parts.resourceMetadata)}`];
  if (parts.scopes && parts.scopes.length > 0) params.push(`scope=${quoted(parts.scopes.join(' '))}`);
  if (parts.error) params.push(`error=${quoted(parts.error)}`);
  if (parts.description) params.push(`error_description=${quoted(parts.description)}`);
  return `Bearer ${params.join(', ')}`;
}

const STATUS = { invalid_request: 400, invalid_token: 401, insufficient_scope: 403 } as const;

/**
 * A challenge response with a JSON-RPC error body a person can act on. The description never
 * quotes the token: it says what was wrong with it.
 */
export function challengeResponse(parts: ChallengeParts, status: 401 | 403 | 400 = parts.error ? STATUS[parts.error] : 401): Response {
  const message = parts.description ?? 'Authorization required: send Authorization: Bearer <access token> (see the resource_metadata URL in WWW-Authenticate for where to get one).';
  return Response.json(
    { jsonrpc: '2.0', error: { code: -32600, message: status === 403 ? `Forbidden: ${message}` : `Unauthorized: ${message}` } },
    { status, headers: { 'WWW-Authenticate': formatChallenge(parts), 'Cache-Control': 'no-store' } },
  );
}

// The requests the bench sends, in the 2026-07-28 form (per-request `_meta` envelope and the
// standard Mcp-* headers) and the 2025-06-18 form (POST with no session: no initialize first).
export type Form = '2026' | '2025';
export type Operation = 'echo' | 'list';

/** The text echo is called with; a response is correct only if it carries it back. */
export const ECHO_TEXT = 'bench-echo-7f3a';

export interface HttpRequestSpec {
  headers: Record<string, string>;
  body: string;
}

const ENVELOPE = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': {},
  'io.modelcontextprotocol/clientInfo': { name: 'bench', version: '1.0.0' },
};

export function rpcRequest(form: Form, method: string, params: Record<string, unknown>, id: number | string = 1): HttpRequestSpec {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': form === '2026' ? '2026-07-28' : '2025-06-18',
  };
  let fullParams = params;
  if (form === '2026') {
    headers['mcp-method'] = method;
    if (typeof params.name === 'string') headers['mcp-name'] = params.name;
    // The caller's _meta may add to the envelope (e.g. capabilities a call opts in with).
    const meta = (params._meta as Record<string, unknown> | undefined) ?? {};
    fullParams = { ...params, _meta: { ...ENVELOPE, ...meta } };
  }
  return { headers, body: JSON.stringify({ jsonrpc: '2.0', id, method, params: fullParams }) };
}

export function operationRequest(form: Form, operation: Operation): HttpRequestSpec {
  return operation === 'echo' ? rpcRequest(form, 'tools/call', { name: 'echo', arguments: { text: ECHO_TEXT } }) : rpcRequest(form, 'tools/list', {});
}

/** Substrings every correct response body contains (JSON or SSE framing alike). */
export function expectedMarkers(operation: Operation): string[] {
  return operation === 'echo' ? [`"text":"${ECHO_TEXT}"`, '"result"'] : ['"name":"echo"', '"name":"slow_stream"', '"result"'];
}

/** The JSON-RPC response in a body that is either JSON or SSE / JSON Lines frames. */
export function findResponse(body: string): Record<string, unknown> | undefined {
  const candidates = body.trimStart().startsWith('{') ? body.split('\n') : body.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5));
  for (const candidate of candidates) {
    const text = candidate.trim();
    if (!text) continue;
    try {
      const message = JSON.parse(text) as Record<string, unknown>;
      if ('result' in message || 'error' in message) return message;
    } catch {
      // A partial line or a comment: not the response.
    }
  }
  return undefined;
}

/** Checks a response fully (parsed, not substring-matched): undefined when correct, else why not. */
export function checkResponse(operation: Operation, status: number, body: string): string | undefined {
  if (status !== 200) return `HTTP ${status}: ${body.slice(0, 300)}`;
  const message = findResponse(body);
  if (!message) return `no JSON-RPC response in body: ${body.slice(0, 300)}`;
  if (message.error) return `JSON-RPC error ${JSON.stringify(message.error).slice(0, 300)}`;
  const result = message.result as Record<string, unknown>;
  if (operation === 'echo') {
    const content = result.content as { type: string; text: string }[] | undefined;
    if (content?.[0]?.text !== ECHO_TEXT || result.isError) return `wrong echo result ${JSON.stringify(result).slice(0, 300)}`;
  } else {
    const names = ((result.tools as { name: string }[] | undefined) ?? []).map((t) => t.name).sort();
    if (names.join(',') !== 'echo,slow_stream') return `wrong tools/list ${JSON.stringify(result).slice(0, 300)}`;
  }
  return undefined;
}

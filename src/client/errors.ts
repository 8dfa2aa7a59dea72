// The one error the client throws: a stable string `code` callers branch on (as jose does) and a
// message that says what to do next. Imports nothing outside the client.

/** Every failure the client reports, by cause. */
export type ClientErrorCode =
  /** Non-2xx HTTP answer without a JSON-RPC error in it (`status`, `body`). */
  | 'HTTP_ERROR'
  /** 401, or 403 with a Bearer challenge: `wwwAuthenticate` says where to get a token. */
  | 'UNAUTHORIZED'
  /** The OAuth flow failed: metadata discovery, registration, the authorization response or the token request. */
  | 'OAUTH_ERROR'
  /** The server answered with a JSON-RPC error (`rpcCode`, `data`). */
  | 'PROTOCOL_ERROR'
  /** The call's `timeoutMs` passed, or a stream stayed silent past its `idleTimeoutMs`. */
  | 'TIMEOUT'
  /** The caller's signal aborted the call. */
  | 'ABORTED'
  /** No HTTP answer at all: refused connection, DNS failure, reset. */
  | 'UNREACHABLE'
  /** Client and server share no protocol revision. */
  | 'UNSUPPORTED_VERSION'
  /** The answer is not what MCP allows: a content type, JSON-RPC shape or result shape the protocol does not have. */
  | 'INVALID_RESPONSE'
  /** One message from the server was larger than the client's `maxMessageBytes`. */
  | 'MESSAGE_TOO_LARGE'
  /** The response stream ended before the result. */
  | 'STREAM_ENDED'
  /** The server asked for input (elicitation, sampling, roots) this client has no handler for, or never stopped asking. */
  | 'INPUT_REQUIRED';

export interface ClientErrorDetails {
  status?: number;
  body?: string;
  rpcCode?: number;
  data?: unknown;
  wwwAuthenticate?: string;
  cause?: unknown;
}

/**
 * @example
 * try { await client.callTool('add', { a: 1, b: 2 }); }
 * catch (error) { if (error instanceof McpClientError && error.code === 'UNAUTHORIZED') login(error.wwwAuthenticate); }
 */
export class McpClientError extends Error {
  readonly code: ClientErrorCode;
  readonly status: number | undefined;
  readonly body: string | undefined;
  readonly rpcCode: number | undefined;
  readonly data: unknown;
  readonly wwwAuthenticate: string | undefined;

  constructor(code: ClientErrorCode, message: string, details: ClientErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'McpClientError';
    this.code = code;
    this.status = details.status;
    this.body = details.body;
    this.rpcCode = details.rpcCode;
    this.data = details.data;
    this.wwwAuthenticate = details.wwwAuthenticate;
  }
}

export function isClientError(error: unknown, code?: ClientErrorCode): error is McpClientError {
  return error instanceof McpClientError && (code === undefined || error.code === code);
}

/** Maps a signal's abort reason to TIMEOUT (our own deadline) or ABORTED (the caller's signal). */
export function abortError(signal: AbortSignal, what: string): McpClientError {
  const reason: unknown = signal.reason;
  if (reason instanceof McpClientError) return reason;
  const timedOut = reason instanceof DOMException && reason.name === 'TimeoutError';
  return timedOut
    ? new McpClientError('TIMEOUT', `${what} timed out. Raise timeoutMs if the server is slow, or check that it is answering.`, { cause: reason })
    : new McpClientError('ABORTED', `${what} was aborted by the caller.`, { cause: reason });
}

/** Reading stopped: the server sent one message larger than `maxMessageBytes` allows. */
export function messageTooLarge(maxMessageBytes: number): McpClientError {
  return new McpClientError(
    'MESSAGE_TOO_LARGE',
    `The server sent a message larger than ${maxMessageBytes} bytes, the client's maxMessageBytes; reading stopped there. If the server legitimately sends messages this large, raise maxMessageBytes; otherwise report the server to its operator.`,
  );
}

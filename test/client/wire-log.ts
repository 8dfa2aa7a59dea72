// A fetch that remembers what the client sent and what came back (status, content type), so tests
// can assert on headers, bodies and request counts without touching the streams the client reads.
import type { FetchLike } from '../../src/client/index.ts';

export interface Exchange {
  httpMethod: string;
  headers: Headers;
  /** The JSON-RPC message the client POSTed. */
  body: { id?: string | number; method?: string; params?: Record<string, any>; result?: unknown } | undefined;
  status?: number;
  contentType?: string;
}

export interface WireLog {
  fetch: FetchLike;
  exchanges: Exchange[];
  /** POSTs of JSON-RPC requests with this method. */
  posts(method: string): Exchange[];
}

export function createWireLog(next: FetchLike = (input, init) => fetch(input, init)): WireLog {
  const exchanges: Exchange[] = [];
  return {
    exchanges,
    posts: (method) => exchanges.filter((e) => e.httpMethod === 'POST' && e.body?.method === method),
    fetch: async (input, init) => {
      const exchange: Exchange = {
        httpMethod: init?.method ?? 'GET',
        headers: new Headers(init?.headers),
        body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
      };
      exchanges.push(exchange);
      const response = await next(input, init);
      exchange.status = response.status;
      exchange.contentType = response.headers.get('content-type') ?? undefined;
      return response;
    },
  };
}

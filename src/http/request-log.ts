// One line per request: what was asked (JSON-RPC method and the tool, prompt or resource named),
// how it was answered (status, JSON or stream, JSON-RPC error code) and how long it took — for a
// stream, until its last message. Never tokens, arguments or results.
import type { Context } from 'hono';
import type { McpEnv } from './middleware.ts';
import type { RequestNotes } from './request-notes.ts';

export interface RequestLogEntry {
  /** JSON-RPC method; `batch` for a 2025-03-26 batch; absent when the body was refused before parsing. */
  method?: string;
  /** The tool or prompt name, or the resource URI, when the method names one. */
  name?: string;
  /** The protocol revision the request was served in. */
  protocolVersion?: string;
  /** HTTP status. */
  status: number;
  /** `json`, `sse` or `jsonl`: how the response was sent; `empty` for 202 and bodiless answers. */
  body: 'json' | 'sse' | 'jsonl' | 'empty';
  /** The JSON-RPC error code the request was answered with, if any. */
  errorCode?: number;
  /** Milliseconds from the request's arrival to its response's end. */
  durationMs: number;
}

export type RequestLogger = (entry: RequestLogEntry) => void;

function bodyOf(response: Response): RequestLogEntry['body'] {
  const type = response.headers.get('content-type') ?? '';
  if (!response.body) return 'empty';
  if (type.startsWith('text/event-stream')) return 'sse';
  if ((type.startsWith('application/json') && !type.startsWith('application/json-lines')) || type.startsWith('application/problem+json')) return 'json';
  return type ? 'jsonl' : 'empty';
}

/** `mcp 2026-07-28 tools/call echo 200 json 1.4ms` (with `error -32602` when answered with one). */
export function formatRequestLog(entry: RequestLogEntry): string {
  const parts = ['mcp', entry.protocolVersion ?? '-', entry.method ?? '-'];
  if (entry.name !== undefined) parts.push(JSON.stringify(entry.name).slice(1, -1));
  parts.push(String(entry.status), entry.body, `${entry.durationMs.toFixed(1)}ms`);
  if (entry.errorCode !== undefined) parts.push(`error ${entry.errorCode}`);
  return parts.join(' ');
}

export const consoleRequestLogger: RequestLogger = (entry) => console.log(formatRequestLog(entry));

/** Only what a log may hold: the notes also carry the request itself (its arguments) and observers' hooks. */
function entryOf(notes: RequestNotes, response: Response, durationMs: number): RequestLogEntry {
  const entry: RequestLogEntry = { status: response.status, body: bodyOf(response), durationMs };
  if (notes.method !== undefined) entry.method = notes.method;
  if (notes.name !== undefined) entry.name = notes.name;
  if (notes.protocolVersion !== undefined) entry.protocolVersion = notes.protocolVersion;
  if (notes.errorCode !== undefined) entry.errorCode = notes.errorCode;
  return entry;
}

type PostHandler<P> = (request: Request, platform: P & { notes?: RequestNotes }) => Promise<Response>;

/** Writes the entry once the response (or its stream) ends. */
function record(log: RequestLogger, notes: RequestNotes, response: Response, started: number): void {
  const write = () => {
    try {
      log(entryOf(notes, response, performance.now() - started));
    } catch {
      // A logger that throws loses its line; it must not fail a request that was answered.
    }
  };
  if (notes.finished) void notes.finished.then(write, write);
  else write();
}

/** `handle` with one log entry per request. */
export function withRequestLog<P extends object>(handle: PostHandler<P>, log: RequestLogger): (request: Request, platform: P) => Promise<Response> {
  return async (request, platform) => {
    const started = performance.now();
    const notes: RequestNotes = {};
    const response = await handle(request, { ...platform, notes });
    record(log, notes, response, started);
    return response;
  };
}

/** For the Hono handler (`mcp()`): the notes ride on the context (`mcpNotes`), where the MCP handler fills them in. */
export function withContextLog<C extends Context<McpEnv>>(handle: (c: C) => Response | Promise<Response>, log: RequestLogger): (c: C) => Promise<Response> {
  return async (c) => {
    const started = performance.now();
    const notes: RequestNotes = {};
    c.set('mcpNotes', notes);
    const response = await handle(c);
    record(log, notes, response, started);
    return response;
  };
}

// One `cursor` tool call of a simulated agent, read with node:http as the bytes arrive: when its
// first usable piece came (a partial result's content, or the whole result for a buffered
// consumer), when it ended, and whether everything in it was right.
import { request } from 'node:http';
import type { Agent } from 'node:http';
import { cursorRow } from '../servers/cursor.ts';
import type { CursorPoint } from './config.ts';
import { FrameSplitter, framingOf } from './frames.ts';
import { rpcRequest } from './requests.ts';
import type { HttpRequestSpec } from './requests.ts';

/**
 * How the agent asks and reads:
 * - `json`: a conforming client's Accept and no opt-in; the result comes as one JSON body.
 * - `sse-progress`: the same with a progressToken, as a client of today's streaming asks. The tool
 *   reports progress per row over SSE, but the rows themselves come only in the result.
 * - `sse-partial` / `jsonl-partial`: opted in to partial results, each row sent as it is read, over
 *   SSE or over JSON Lines (`Accept: application/json-lines` alone, as the product's first client sent).
 */
export type AgentMode = 'json' | 'sse-progress' | 'sse-partial' | 'jsonl-partial';

const STANDARD_ACCEPT = 'application/json, text/event-stream';

const EXPECTED_TYPE: Record<AgentMode, string> = {
  json: 'application/json',
  'sse-progress': 'text/event-stream',
  'sse-partial': 'text/event-stream',
  'jsonl-partial': 'application/json-lines',
};

export const streams = (mode: AgentMode) => mode === 'sse-partial' || mode === 'jsonl-partial';

export function cursorCall(mode: AgentMode, point: CursorPoint, id: number, token: string): HttpRequestSpec {
  const meta =
    mode === 'sse-progress' ? { progressToken: token } : streams(mode) ? { 'io.modelcontextprotocol/clientCapabilities': { partialResults: {} }, partialResultToken: token } : {};
  const spec = rpcRequest('2026', 'tools/call', { name: 'cursor', arguments: { rows: point.rows, gapMs: point.gapMs }, _meta: meta }, id);
  spec.headers.accept = mode === 'jsonl-partial' ? 'application/json-lines' : STANDARD_ACCEPT;
  return spec;
}

export interface CallTiming {
  /** When the request was sent and when its response ended, on performance.now()'s clock. */
  sentAt: number;
  endedAt: number;
  /** Request sent → first usable piece (ms). */
  firstMs: number;
  /** Request sent → response complete (ms). */
  totalMs: number;
  bytes: number;
  /**
   * What was wrong with the response, if anything. Asked after the cell's clock has stopped, so
   * checking every row does not take the harness's time from the calls still running.
   */
  check(): string | undefined;
}

export interface StartedCall {
  /** Settles at the first usable piece (or when the call failed: the agent moves on either way). */
  first: Promise<void>;
  done: Promise<CallTiming>;
}

interface Message {
  id?: unknown;
  method?: string;
  params?: { partialResultToken?: unknown; progressToken?: unknown; seq?: unknown; content?: unknown };
  result?: { content?: unknown; isError?: unknown };
  error?: unknown;
}

const sameRow = (block: unknown, id: number) => JSON.stringify(block) === JSON.stringify(cursorRow(id));

/** Checks a call once the clock has stopped: its Content-Type, its pieces in order, its progress, and the complete result. */
function check(mode: AgentMode, point: CursorPoint, status: number, contentType: string, partials: Message[], progress: number, response: Message | undefined): string | undefined {
  if (status !== 200) return `HTTP ${status}`;
  const type = contentType.split(';')[0]!.trim();
  if (type !== EXPECTED_TYPE[mode]) return `Content-Type ${type || 'missing'}, expected ${EXPECTED_TYPE[mode]}`;
  if (!response) return 'no JSON-RPC response in the body';
  if (response.error !== undefined || !response.result) return `error ${JSON.stringify(response.error).slice(0, 200)}`;
  const content = response.result.content;
  if (!Array.isArray(content) || content.length !== point.rows || !content.every((block, i) => sameRow(block, i + 1))) {
    return `the result does not hold rows 1–${point.rows} in order: ${JSON.stringify(response.result).slice(0, 200)}`;
  }
  const wantPartials = streams(mode) ? point.rows : 0;
  if (partials.length !== wantPartials) return `${partials.length} partial results, expected ${wantPartials}`;
  const wrong = partials.findIndex((p, i) => p.params?.seq !== i || !Array.isArray(p.params.content) || p.params.content.length !== 1 || !sameRow(p.params.content[0], i + 1));
  if (wrong >= 0) return `partial result ${wrong} is not row ${wrong + 1} with seq ${wrong}: ${JSON.stringify(partials[wrong]).slice(0, 200)}`;
  const wantProgress = mode === 'sse-progress' ? point.rows : 0;
  if (progress !== wantProgress) return `${progress} progress notifications, expected ${wantProgress}`;
  return undefined;
}

/** Sends one call; `first` settles at its first usable piece, `done` when the response has ended. */
export function startCall(port: number, agent: Agent, mode: AgentMode, point: CursorPoint, id: number, token: string): StartedCall {
  const spec = cursorCall(mode, point, id, token);
  let markFirst!: () => void;
  const first = new Promise<void>((resolve) => (markFirst = resolve));
  const t0 = performance.now();
  let firstMs: number | undefined;
  const reached = () => {
    if (firstMs !== undefined) return;
    firstMs = performance.now() - t0;
    markFirst();
  };
  const done = new Promise<CallTiming>((resolve) => {
    const fail = (why: string) => {
      reached();
      const endedAt = performance.now();
      resolve({ sentAt: t0, endedAt, firstMs: firstMs!, totalMs: endedAt - t0, bytes: 0, check: () => why });
    };
    const req = request({ host: '127.0.0.1', port, path: '/mcp', method: 'POST', agent, headers: { ...spec.headers, 'content-length': Buffer.byteLength(spec.body) } }, (res) => {
      const contentType = String(res.headers['content-type'] ?? '');
      const frames = new FrameSplitter(framingOf(contentType));
      const partials: Message[] = [];
      let progress = 0;
      let response: Message | undefined;
      let bytes = 0;
      const read = (text: string) => {
        let message: Message;
        try {
          message = JSON.parse(text) as Message;
        } catch {
          return;
        }
        if (message.method === 'notifications/tools/partial_result' && message.params?.partialResultToken === token) {
          partials.push(message);
          if (Array.isArray(message.params.content) && message.params.content.length > 0) reached();
        } else if (message.method === 'notifications/progress' && message.params?.progressToken === token) progress++;
        else if (message.id === id) {
          response = message;
          reached();
        }
      };
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        bytes += Buffer.byteLength(chunk);
        for (const text of frames.push(chunk)) read(text);
      });
      res.on('end', () => {
        for (const text of frames.end()) read(text);
        reached();
        const endedAt = performance.now();
        const status = res.statusCode ?? 0;
        resolve({ sentAt: t0, endedAt, firstMs: firstMs!, totalMs: endedAt - t0, bytes, check: () => check(mode, point, status, contentType, partials, progress, response) });
      });
      res.on('error', (error) => fail(error.message));
    });
    req.on('error', (error) => fail(error.message));
    req.end(spec.body);
  });
  return { first, done };
}

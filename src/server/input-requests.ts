// How a handler asks the client for input. On the 2026 lane (MRTR) an unanswered ask ends the
// round with an `input_required` result; on the 2025 lane it becomes a server-to-client request.
import { ErrorCode, McpError, isJsonObject } from '../protocol/jsonrpc.ts';
import type { ClientCapabilities } from '../protocol/types.ts';

export type InputMethod = 'elicitation/create' | 'sampling/createMessage' | 'roots/list';

export interface InputRequest {
  method: InputMethod;
  params?: Record<string, unknown>;
}

const CAPABILITY: Record<InputMethod, 'elicitation' | 'sampling' | 'roots'> = {
  'elicitation/create': 'elicitation',
  'sampling/createMessage': 'sampling',
  'roots/list': 'roots',
};

const KEY_PREFIX: Record<InputMethod, string> = {
  'elicitation/create': 'elicitation',
  'sampling/createMessage': 'sampling',
  'roots/list': 'roots',
};

/** A response the client sent for one input request, checked before a handler sees it. */
export function isValidInputResponse(method: InputMethod, value: unknown): boolean {
  if (!isJsonObject(value)) return false;
  switch (method) {
    case 'elicitation/create':
      return (
        (value.action === 'accept' || value.action === 'decline' || value.action === 'cancel') &&
        (value.content === undefined || isJsonObject(value.content))
      );
    case 'sampling/createMessage':
      return (value.role === 'assistant' || value.role === 'user') && value.content !== undefined;
    case 'roots/list':
      return Array.isArray(value.roots);
  }
}

/** Where a 2026-07-28 client declares its capabilities: on each request. */
const DECLARED_PER_REQUEST = '_meta["io.modelcontextprotocol/clientCapabilities"]';

/**
 * Throws -32021 unless the client declared the capability the input request needs; `declaredIn`
 * tells it where to declare it.
 */
export function requireClientCapability(
  method: InputMethod,
  params: Record<string, unknown> | undefined,
  capabilities: ClientCapabilities | undefined,
  declaredIn: string = DECLARED_PER_REQUEST,
): void {
  const name = CAPABILITY[method];
  const declared = capabilities?.[name];
  const wantsUrl = method === 'elicitation/create' && params?.mode === 'url';
  const urlDeclared = isJsonObject(declared) && isJsonObject(declared.url);
  if (declared !== undefined && (!wantsUrl || urlDeclared)) return;
  const required = wantsUrl ? { elicitation: { url: {} } } : { [name]: {} };
  throw new McpError(
    ErrorCode.MissingRequiredClientCapability,
    `Server requires the ${wantsUrl ? 'elicitation.url' : name} capability for this request; declare it in ${declaredIn} to use this feature.`,
    { requiredCapabilities: required },
  );
}

/**
 * Why a run of a handler was abandoned (MRTR, 2026-07-28): once its round has ended with an
 * `input_required` result, `ctx.signal` aborts with this reason and every ask still waiting rejects
 * with it, so `finally` blocks and abort listeners run. The client's retry runs the handler again
 * with the answers; this error never reaches the client.
 */
export class InputRoundEndedError extends Error {
  override readonly name = 'InputRoundEndedError';

  constructor() {
    super(
      "This run of the handler ended with an input_required result; the client's retry runs it again with the answers. Release resources in `finally` and let this error propagate instead of continuing the run.",
    );
  }
}

/**
 * One MRTR round: answers gathered so far, and the asks this run of the handler left unanswered.
 * Auto keys follow call order, so a deterministic handler asks with the same keys every round.
 */
export class InputRound {
  readonly answers: Record<string, unknown>;
  // Both made on first use: most calls never ask for input.
  #pending: Map<string, InputRequest> | undefined;
  #counters: Map<InputMethod, number> | undefined;
  /** Called once, on the first ask this round cannot answer (the runner then ends the round). */
  onFirstAsk: ((why: 'asked') => void) | undefined;
  /** Set once the call became a task: unanswered asks then wait for tasks/update instead. */
  delegate: ((key: string, request: InputRequest) => Promise<unknown>) | undefined;
  /** Called when the handler calls `ctx.startTask()`. */
  onTaskRequest: ((why: 'promote') => void) | undefined;
  #taskStarted: (() => void) | undefined;
  #started: Promise<void> | undefined;
  /** Rejects the asks still waiting once the round has ended. */
  #waiting: ((reason: InputRoundEndedError) => void)[] | undefined;

  /** `taskCapable`: this call may become a task (tool support and the client's declaration). */
  constructor(answers: Record<string, unknown>, readonly taskCapable = false) {
    this.answers = answers;
  }

  /** The asks this run left unanswered, by key. */
  get pending(): Map<string, InputRequest> {
    return (this.#pending ??= new Map());
  }

  /** The handler's explicit promotion point; resolves once the task exists (at once when it cannot be one). */
  startTask(): Promise<void> {
    if (!this.taskCapable) return Promise.resolve();
    this.#started ??= new Promise((resolve) => (this.#taskStarted = resolve));
    this.onTaskRequest?.('promote');
    return this.#started;
  }

  /** Called by the runner once the task is stored and asks go to it. */
  becameTask(ask: (key: string, request: InputRequest) => Promise<unknown>): void {
    this.delegate = ask;
    this.#taskStarted?.();
    this.#started ??= Promise.resolve();
  }

  keyFor(method: InputMethod, key: string | undefined): string {
    if (key !== undefined) return key;
    this.#counters ??= new Map();
    const n = (this.#counters.get(method) ?? 0) + 1;
    this.#counters.set(method, n);
    return `${KEY_PREFIX[method]}-${n}`;
  }

  /** Resolves with the answer when this round has one; otherwise records the ask and waits for `end`. */
  ask(key: string, request: InputRequest): Promise<unknown> {
    const answer = Object.hasOwn(this.answers, key) ? this.answers[key] : undefined;
    if (answer !== undefined && isValidInputResponse(request.method, answer)) return Promise.resolve(answer);
    if (this.delegate) return this.delegate(key, request);
    this.pending.set(key, request);
    const first = this.onFirstAsk;
    this.onFirstAsk = undefined;
    // One macrotask lets asks made together (Promise.all) join the same round.
    if (first) setTimeout(first, 0, 'asked');
    // This run never sees an answer: the answer goes to the run the client's retry starts.
    return new Promise((_, reject) => (this.#waiting ??= []).push(reject));
  }

  /** The round's result is made: the asks still waiting reject, so the abandoned run unwinds. */
  end(reason: InputRoundEndedError): void {
    for (const reject of this.#waiting ?? []) reject(reason);
    this.#waiting = undefined;
  }
}

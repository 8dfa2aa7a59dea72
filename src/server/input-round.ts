// Runs a tools/call, prompts/get or resources/read handler so it may ask for input: on the 2026
// lane through sealed MRTR rounds, on the 2025 lane through server-to-client requests.
import type { RequestStateBinding, RequestStateSealer } from '../mrtr/request-state.ts';
import { ErrorCode, McpError, isJsonObject } from '../protocol/jsonrpc.ts';
import type { JsonObject, JsonRpcId, JsonRpcRequest } from '../protocol/jsonrpc.ts';
import type { Store } from '../store/store.ts';
import type { ClientRequestBroker } from './client-requests.ts';
import { Cancellation } from './cancellation.ts';
import { createHandlerContext } from './context.ts';
import type { HandlerContext } from './context.ts';
import { InputRound, InputRoundEndedError } from './input-requests.ts';
import type { RequestEnv } from './outbox.ts';
import { metaOf } from './params.ts';
import type { PartialResults } from './partial-results.ts';
import type { Report } from './report.ts';
import type { TaskRun, Tasks } from './tasks.ts';

export interface RoundDeps {
  sealer: RequestStateSealer;
  store: Store;
  broker: ClientRequestBroker;
  loggingEnabled: boolean;
  /** Where a promoted call's failures go: nobody awaits a task. */
  report: Report;
}

/** One call of a handler that may ask for input: what it is bound to, and how to run it. */
export interface RoundCall {
  readonly env: RequestEnv;
  readonly requestId: JsonRpcId;
  readonly method: string;
  /** The tool or prompt name, or the URI for resources/read. */
  readonly name: string;
  /** The arguments as the client sent them (what requestState binds). */
  readonly args: unknown;
  readonly params: JsonObject;
  /** tools/call: the pieces its handler emits. */
  readonly partials?: PartialResults;
  /** Runs the handler once, to its finished result (a tool's already checked against its outputSchema). */
  run(ctx: HandlerContext): Promise<JsonObject>;
}

export type RoundOutcome =
  | { kind: 'complete'; value: JsonObject }
  | { kind: 'input_required'; inputRequests: Record<string, unknown>; requestState: string }
  | { kind: 'task'; created: JsonObject };

/** How a call may turn into a task (tasks extension) when it runs longer than `afterMs`. */
export interface Promotion {
  tasks: Tasks;
  afterMs: number;
  /** "required" tools: a task even when the handler finishes at once. */
  always: boolean;
}

function invalid(message: string): McpError {
  return new McpError(ErrorCode.InvalidParams, message);
}

/** Answers keyed by input key, a name the client echoes: no prototype, so no key finds what objects inherit. */
function answerTable(from?: Record<string, unknown>): Record<string, unknown> {
  const table: Record<string, unknown> = Object.create(null);
  return from ? Object.assign(table, from) : table;
}

interface Opened {
  answers: Record<string, unknown>;
  /** The keys the previous round asked for: only answers to those count. */
  pending: readonly string[];
  data: unknown;
}

/**
 * A first round: no requestState, so nothing to open (and nothing to await). Shared and frozen:
 * answers sent with a first round get a table of their own.
 */
const FIRST_ROUND: Opened = Object.freeze({ answers: Object.freeze(answerTable()), pending: Object.freeze([]), data: undefined });

/** What requestState is bound to: the call as first sent, and its caller. Made only when a token is opened or sealed. */
function bindingOf(call: RoundCall): RequestStateBinding {
  return { method: call.method, name: call.name, args: call.args, principal: call.env.principal?.subject };
}

async function openState(deps: RoundDeps, call: RoundCall): Promise<Opened> {
  const token = call.params.requestState;
  if (typeof token !== 'string') throw invalid('requestState must be the string the server sent; start the call again without it.');
  const opened = await deps.sealer.open(token, bindingOf(call));
  if (!opened.ok) throw invalid(`Invalid requestState (${opened.reason}): ${opened.message}`);
  // MRTR: requestState is single-use, enforced server-side.
  if (!(await deps.store.claim(`requestState:${opened.id}`, opened.expiresAt))) {
    throw invalid('This requestState was already used; start the call again without requestState and inputResponses.');
  }
  const data = isJsonObject(opened.payload.data) ? opened.payload.data : {};
  const pending = Array.isArray(data.pending) ? data.pending.filter((key): key is string => typeof key === 'string') : [];
  return { answers: answerTable(opened.payload.answers), pending, data: data.state };
}

export async function runRound(deps: RoundDeps, call: RoundCall, promotion?: Promotion): Promise<RoundOutcome> {
  const { env } = call;
  const meta = metaOf(call.params);
  const cancellation = new Cancellation(env);
  try {
    if (env.era === 'legacy') {
      const ctx = createHandlerContext({ env, requestId: call.requestId, method: call.method, meta, cancellation, round: undefined, broker: deps.broker, loggingEnabled: deps.loggingEnabled, state: undefined, partials: call.partials });
      return { kind: 'complete', value: await call.run(ctx) };
    }

    const first = call.params.requestState === undefined;
    const opened = first ? FIRST_ROUND : await openState(deps, call);
    let answers = opened.answers;
    const responses = call.params.inputResponses;
    if (isJsonObject(responses)) {
      // Only answers to what was asked count; extra keys are ignored (SHOULD).
      const accepted = first ? Object.keys(responses) : opened.pending;
      if (first) answers = answerTable();
      for (const key of accepted) if (Object.hasOwn(responses, key) && responses[key] !== undefined) answers[key] = responses[key];
    }
    const round = new InputRound(answers, promotion !== undefined);
    const ctx = createHandlerContext({ env, requestId: call.requestId, method: call.method, meta, cancellation, round, broker: deps.broker, loggingEnabled: deps.loggingEnabled, state: opened.data, partials: call.partials });
    // "required": a task from the start, so every ask is a task input.
    if (promotion?.always) return await escalate(deps, call, promotion, round, cancellation, () => call.run(ctx));

    let running!: Promise<JsonObject>;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // One promise settles the race: the handler's result, its first unanswerable ask, or promotion.
    // The callbacks are in place before the handler runs: it may ask before its first await.
    const winner = await new Promise<JsonObject | 'asked' | 'promote'>((resolve, reject) => {
      // The promise's own resolve, not a fresh closure around it: a per-call function stored on
      // the round made V8 pretenure each call's objects, and minor GCs then kept them alive
      // (bench/gc.ts: 14.5 KB surviving per 2026 echo, 6 KB with this).
      round.onFirstAsk = resolve;
      if (promotion) {
        round.onTaskRequest = resolve;
        timer = setTimeout(() => resolve('promote'), promotion.afterMs);
      }
      running = call.run(ctx);
      running.then(resolve, reject);
    });
    clearTimeout(timer);
    // A result is an object, never one of the two words.
    if (typeof winner !== 'string') return { kind: 'complete', value: winner };
    // Asks made before promotion are answered synchronously through MRTR first (SHOULD).
    if (winner === 'promote' && round.pending.size === 0) return await escalate(deps, call, promotion!, round, cancellation, () => running);
    // This run is abandoned: the client's retry runs the handler afresh with the answers. It
    // unwinds rather than hanging: its signal aborts now (so it asks no more), and once the result
    // is made its waiting asks reject, so its `finally` blocks run. Nobody awaits it: the
    // InputRoundEndedError it normally rejects with is dropped here (a tool's other failures
    // already went to onError when its run caught them), and the client only sees input_required.
    running.catch(() => undefined);
    const ended = new InputRoundEndedError();
    cancellation.abort(ended);
    try {
      // fromEntries defines own properties: a key such as "__proto__" stays a key.
      const inputRequests: Record<string, unknown> = Object.fromEntries(round.pending);
      const answers = Object.fromEntries(Object.entries(round.answers).filter(([key]) => !round.pending.has(key)));
      const requestState = await deps.sealer.seal(
        { answers, data: { pending: [...round.pending.keys()], state: ctx.nextState } },
        bindingOf(call),
      );
      return { kind: 'input_required', inputRequests, requestState };
    } finally {
      // After the state is sealed, so cleanup code calling ctx.setState cannot change it.
      round.end(ended);
    }
  } finally {
    cancellation.unlink();
  }
}

/** The wire result of a round: the handler's, a created task, or the input it still needs. */
export function roundResult(outcome: RoundOutcome): JsonObject {
  if (outcome.kind === 'complete') return outcome.value;
  if (outcome.kind === 'task') return { ...outcome.created, resultType: 'task' };
  return { resultType: 'input_required', inputRequests: outcome.inputRequests, requestState: outcome.requestState };
}

/** The context of a handler that cannot ask for input (resource lists, completers): it has the request's own signal. */
export function plainContext(deps: RoundDeps, request: JsonRpcRequest, params: JsonObject, env: RequestEnv): HandlerContext {
  return createHandlerContext({ env, requestId: request.id, method: request.method, meta: metaOf(params), cancellation: undefined, round: undefined, broker: deps.broker, loggingEnabled: deps.loggingEnabled, state: undefined });
}

/** The call becomes a task: `running` starts (or goes on) once the task exists, and outlives the request. */
async function escalate(deps: RoundDeps, call: RoundCall, promotion: Promotion, round: InputRound, cancellation: Cancellation, running: () => Promise<JsonObject>): Promise<RoundOutcome> {
  const { env } = call;
  // From here the work outlives the request: the client closing its stream no longer cancels it,
  // and pieces the handler emits only join the task's result.
  cancellation.unlink();
  call.partials?.detach();
  const report = (error: unknown) => deps.report(error, call.method, call.requestId);
  const { created, run } = await promotion.tasks.create(env.principal?.subject, report);
  round.becameTask(run.ask);
  cancellation.follow(run.signal);
  const work = finishTask(run, running(), report).catch(report);
  env.waitUntil?.(work);
  return { kind: 'task', created };
}

/** Runs the rest of a promoted call in the background and records how it ended. */
async function finishTask(run: TaskRun, running: Promise<JsonObject>, report: (error: unknown) => void): Promise<void> {
  const cancelled = new Promise<'cancelled'>((resolve) => run.signal.addEventListener('abort', () => resolve('cancelled'), { once: true }));
  try {
    const ended = await Promise.race([running, cancelled]);
    if (ended === 'cancelled') return await run.finish({ cancelled: true });
    await run.finish({ result: ended });
  } catch (error) {
    if (run.signal.aborted) return await run.finish({ cancelled: true });
    if (error instanceof McpError) return await run.finish({ error: { ...error.toJSON() } });
    report(error);
    await run.finish({ error: { code: ErrorCode.InternalError, message: 'Internal error: the server failed while running this task; the operator can find the cause in its logs.' } });
  }
}

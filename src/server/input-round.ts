// Runs a tools/call, prompts/get or resources/read handler so it may ask for input: on the 2026
// lane through sealed MRTR rounds, on the 2025 lane through server-to-client requests.
import { createRequestStateSealer } from '../mrtr/request-state.ts';
import type { RequestStateBinding } from '../mrtr/request-state.ts';
import { ErrorCode, McpError, isJsonObject } from '../protocol/jsonrpc.ts';
import type { JsonObject, JsonRpcId } from '../protocol/jsonrpc.ts';
import type { Store } from '../store/store.ts';
import type { ClientRequestBroker } from './client-requests.ts';
import { createHandlerContext } from './context.ts';
import type { HandlerContext } from './context.ts';
import { InputRound, InputRoundEndedError } from './input-requests.ts';
import type { RequestEnv } from './outbox.ts';
import type { PartialResults } from './partial-results.ts';
import type { TaskRun, Tasks } from './tasks.ts';

export type Sealer = ReturnType<typeof createRequestStateSealer>;

export interface RoundDeps {
  sealer: Sealer;
  store: Store;
  broker: ClientRequestBroker;
  loggingEnabled: boolean;
}

export interface RoundCall {
  env: RequestEnv;
  requestId: JsonRpcId;
  method: string;
  name: string;
  args: unknown;
  params: Record<string, unknown>;
  /** tools/call: the pieces its handler emits. */
  partials?: PartialResults;
}

export type RoundOutcome<T> =
  | { kind: 'complete'; value: T }
  | { kind: 'input_required'; inputRequests: Record<string, unknown>; requestState: string }
  | { kind: 'task'; created: JsonObject };

/** How a call may turn into a task (tasks extension) when it runs longer than `afterMs`. */
export interface Promotion<T> {
  tasks: Tasks;
  afterMs: number;
  /** "required" tools: a task even when the handler finishes at once. */
  always: boolean;
  /** The stored result for the handler's value (validation as for a direct answer). */
  settle(value: T): JsonObject | Promise<JsonObject>;
  /** Where a failure to record the outcome goes (the store being down): nobody awaits the task. */
  report(error: unknown): void;
}

function invalid(message: string): McpError {
  return new McpError(ErrorCode.InvalidParams, message);
}

/** Answers keyed by input key, a name the client echoes: no prototype, so no key finds what objects inherit. */
function answerTable(from: Record<string, unknown> = {}): Record<string, unknown> {
  return Object.assign(Object.create(null) as Record<string, unknown>, from);
}

async function openState(deps: RoundDeps, call: RoundCall, binding: RequestStateBinding) {
  const token = call.params.requestState;
  if (token === undefined) return { answers: answerTable(), pending: [] as string[], data: undefined };
  if (typeof token !== 'string') throw invalid('requestState must be the string the server sent; start the call again without it.');
  const opened = await deps.sealer.open(token, binding);
  if (!opened.ok) throw invalid(`Invalid requestState (${opened.reason}): ${opened.message}`);
  // MRTR: requestState is single-use, enforced server-side.
  if (!(await deps.store.claim(`requestState:${opened.id}`, opened.expiresAt))) {
    throw invalid('This requestState was already used; start the call again without requestState and inputResponses.');
  }
  const data = isJsonObject(opened.payload.data) ? opened.payload.data : {};
  const pending = Array.isArray(data.pending) ? (data.pending as string[]) : [];
  return { answers: answerTable(opened.payload.answers), pending, data: data.state };
}

export async function runRound<T>(deps: RoundDeps, call: RoundCall, invoke: (ctx: HandlerContext) => Promise<T>, promotion?: Promotion<T>): Promise<RoundOutcome<T>> {
  const { env } = call;
  const meta: Record<string, unknown> = isJsonObject(call.params._meta) ? call.params._meta : {};
  // The handler's own signal is made on first use: most handlers never look at it.
  // env.signal is read only then too: the HTTP layer may build it lazily as well.
  let controller: AbortController | undefined;
  let linked = true;
  let listening = false;
  const onAbort = () => controller?.abort(env.signal.reason);
  const unlink = () => {
    linked = false;
    if (listening) env.signal.removeEventListener('abort', onAbort);
    listening = false;
  };
  const signal = () => {
    if (!controller) {
      controller = new AbortController();
      if (env.signal.aborted) controller.abort(env.signal.reason);
      else if (linked) {
        env.signal.addEventListener('abort', onAbort, { once: true });
        listening = true;
      }
    }
    return controller.signal;
  };
  const abort = (reason: unknown) => signal() && controller!.abort(reason);

  try {
    if (env.era === 'legacy') {
      const ctx = createHandlerContext({ env: call.env, requestId: call.requestId, method: call.method, meta, signal, round: undefined, broker: deps.broker, loggingEnabled: deps.loggingEnabled, state: undefined, partials: call.partials });
      return { kind: 'complete', value: await invoke(ctx) };
    }

    const binding: RequestStateBinding = { method: call.method, name: call.name, args: call.args, principal: env.principal?.subject };
    // No requestState: a first round, with nothing to open (and nothing to await).
    const opened = call.params.requestState === undefined ? { answers: answerTable(), pending: [] as string[], data: undefined } : await openState(deps, call, binding);
    const responses = call.params.inputResponses;
    if (isJsonObject(responses)) {
      // Only answers to what was asked count; extra keys are ignored (SHOULD).
      const accepted = call.params.requestState === undefined ? Object.keys(responses) : opened.pending;
      for (const key of accepted) if (Object.hasOwn(responses, key) && responses[key] !== undefined) opened.answers[key] = responses[key];
    }
    const round = new InputRound(opened.answers, promotion !== undefined);
    const ctx = createHandlerContext({ env: call.env, requestId: call.requestId, method: call.method, meta, signal, round, broker: deps.broker, loggingEnabled: deps.loggingEnabled, state: opened.data, partials: call.partials });
    const escalate = async (running: () => Promise<{ value: T }>): Promise<RoundOutcome<T>> => {
      // From here the work outlives the request: the client closing its stream no longer cancels it,
      // and pieces the handler emits only join the task's result.
      unlink();
      call.partials?.detach();
      const { created, run } = await promotion!.tasks.create(env.principal?.subject, promotion!.report);
      round.becameTask(run.ask);
      run.signal.addEventListener('abort', () => abort(run.signal.reason), { once: true });
      const work = finishTask(run, running(), promotion!).catch((error: unknown) => promotion!.report(error));
      env.waitUntil?.(work);
      return { kind: 'task', created };
    };
    // "required": a task from the start, so every ask is a task input.
    if (promotion?.always) return await escalate(() => invoke(ctx).then((value) => ({ value })));

    let running!: Promise<{ value: T }>;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // One promise settles the race: the handler's result, its first unanswerable ask, or promotion.
    // The callbacks are in place before the handler runs: it may ask before its first await.
    const winner = await new Promise<{ value: T } | 'asked' | 'promote'>((resolve, reject) => {
      // One macrotask lets asks made together (Promise.all) join the same round.
      round.onFirstAsk = () => setTimeout(() => resolve('asked'), 0);
      if (promotion) {
        round.onTaskRequest = () => resolve('promote');
        timer = setTimeout(() => resolve('promote'), promotion.afterMs);
      }
      running = invoke(ctx).then((value) => ({ value }));
      running.then(resolve, reject);
    });
    clearTimeout(timer);
    if (winner !== 'asked' && winner !== 'promote') return { kind: 'complete', value: winner.value };
    // Asks made before promotion are answered synchronously through MRTR first (SHOULD).
    if (winner === 'promote' && round.pending.size === 0) return await escalate(() => running);
    // This run is abandoned: the client's retry runs the handler afresh with the answers. It
    // unwinds rather than hanging: its signal aborts now (so it asks no more), and once the result
    // is made its waiting asks reject, so its `finally` blocks run. Nobody awaits it: the
    // InputRoundEndedError it normally rejects with is dropped here (a tool's other failures
    // already went to onError in its invoke wrapper), and the client only sees input_required.
    running.catch(() => undefined);
    const ended = new InputRoundEndedError();
    abort(ended);
    try {
      // fromEntries defines own properties: a key such as "__proto__" stays a key.
      const inputRequests: Record<string, unknown> = Object.fromEntries(round.pending);
      const answers = Object.fromEntries(Object.entries(round.answers).filter(([key]) => !round.pending.has(key)));
      const requestState = await deps.sealer.seal(
        { answers, data: { pending: [...round.pending.keys()], state: ctx.nextState } },
        binding,
      );
      return { kind: 'input_required', inputRequests, requestState };
    } finally {
      // After the state is sealed, so cleanup code calling ctx.setState cannot change it.
      round.end(ended);
    }
  } finally {
    unlink();
  }
}

/** Runs the rest of a promoted call in the background and records how it ended. */
async function finishTask<T>(run: TaskRun, running: Promise<{ value: T }>, promotion: Promotion<T>): Promise<void> {
  const cancelled = new Promise<'cancelled'>((resolve) => run.signal.addEventListener('abort', () => resolve('cancelled'), { once: true }));
  try {
    const ended = await Promise.race([running, cancelled]);
    if (ended === 'cancelled') return await run.finish({ cancelled: true });
    await run.finish({ result: await promotion.settle(ended.value) });
  } catch (error) {
    if (run.signal.aborted) return await run.finish({ cancelled: true });
    if (error instanceof McpError) return await run.finish({ error: error.toJSON() as unknown as JsonObject });
    promotion.report(error);
    await run.finish({ error: { code: ErrorCode.InternalError, message: 'Internal error: the server failed while running this task; the operator can find the cause in its logs.' } });
  }
}

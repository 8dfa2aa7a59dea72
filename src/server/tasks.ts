// The tasks extension (`io.modelcontextprotocol/tasks`, ext-tasks specification/draft/tasks.md):
// a tool call that outlives its request runs as a task whose state lives in the Store, so
// tasks/get, tasks/update and tasks/cancel work on any instance.
//
// `task:<id>` is the one record tasks/get reads. The instance running the task and whichever
// instance takes tasks/update both change it, each with a compare-and-set on the version it read
// (Store.compareAndSet), so neither can erase the other's change: an answer taken by tasks/update
// leaves `inputRequests` in the same write that records it, and no later read lists that key.
// `task:<id>:cancel` is written by tasks/cancel, `task:<id>:alive` by the runner's heartbeat.
// Bus channel `task:<id>` wakes the runner; it also polls.
import { ErrorCode, McpError, isJsonObject } from '../protocol/jsonrpc.ts';
import type { JsonObject } from '../protocol/jsonrpc.ts';
import type { Bus, Store } from '../store/store.ts';
import { isValidInputResponse } from './input-requests.ts';
import type { InputRequest } from './input-requests.ts';

export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';

/** Per tool: may it run as a task ("optional": when it outlives `promoteAfterMs`), must it, or never. */
export type TaskSupport = 'forbidden' | 'optional' | 'required';

export interface TaskOptions {
  /** How long a task and its result are kept. Default one hour. */
  ttlMs?: number;
  /** Suggested polling interval for clients, and how often a waiting task checks for answers. Default 500. */
  pollIntervalMs?: number;
  /** An "optional" tool still running after this long becomes a task. Default 250 ms. */
  promoteAfterMs?: number;
}

/** What `createServer({ tasks })` takes: made by `tasks()`, so servers without tasks do not bundle them. */
export type TasksExtension = (store: Store, bus: Bus) => Tasks;

/**
 * Turns on the tasks extension: tools with `taskSupport` may then run as tasks that outlive their
 * request (state in the server's Store, so any instance answers tasks/get).
 *
 * @example
 * const server = createServer({ name: 'jobs', version: '1.0.0', tasks: tasks({ promoteAfterMs: 1000 }) });
 */
export function tasks(options: TaskOptions = {}): TasksExtension {
  return (store, bus) => new Tasks(store, bus, options);
}

export type TaskStatus = 'working' | 'input_required' | 'completed' | 'cancelled' | 'failed';

interface StoredTask {
  taskId: string;
  status: TaskStatus;
  statusMessage?: string;
  createdAt: string;
  lastUpdatedAt: string;
  ttlMs: number;
  pollIntervalMs: number;
  /** Asked and not answered yet. */
  inputRequests?: Record<string, InputRequest>;
  /** What tasks/update took, by key, for the runner to pick up. */
  answers?: Record<string, unknown>;
  result?: JsonObject;
  error?: JsonObject;
  /** Subject of the principal that created it: a task id is a name, not a capability. */
  owner?: string;
  /** One more on every write, so no two stored versions are equal (compare-and-set compares values). */
  rev: number;
}

type TaskChange = Partial<Omit<StoredTask, 'taskId' | 'rev'>>;

const MAX_CHANGE_ATTEMPTS = 100;

const TERMINAL: ReadonlySet<TaskStatus> = new Set(['completed', 'cancelled', 'failed']);

export function declaresTasks(capabilities: unknown): boolean {
  return isJsonObject(capabilities) && isJsonObject(capabilities.extensions) && isJsonObject(capabilities.extensions[TASKS_EXTENSION]);
}

export function missingTasksCapability(what: string): McpError {
  return new McpError(
    ErrorCode.MissingRequiredClientCapability,
    `${what} needs the tasks extension: declare "${TASKS_EXTENSION}" under _meta["io.modelcontextprotocol/clientCapabilities"].extensions.`,
    { requiredCapabilities: { extensions: { [TASKS_EXTENSION]: {} } } },
  );
}

function notFound(taskId: unknown): McpError {
  return new McpError(ErrorCode.InvalidParams, `Task not found: ${JSON.stringify(taskId)}. It may have expired; start the call again.`);
}

/** The task as the wire shows it (CreateTaskResult body, or DetailedTask when `detailed`). */
function publicView(task: StoredTask, detailed: boolean): JsonObject {
  const view: JsonObject = {
    taskId: task.taskId,
    status: task.status,
    createdAt: task.createdAt,
    lastUpdatedAt: task.lastUpdatedAt,
    ttlMs: task.ttlMs,
    pollIntervalMs: task.pollIntervalMs,
  };
  if (task.statusMessage !== undefined) view.statusMessage = task.statusMessage;
  if (!detailed) return view;
  if (task.status === 'input_required') view.inputRequests = task.inputRequests ?? {};
  // The result is the tools/call answer the request would have carried: a complete CallToolResult
  // (2026-07-28 requires resultType on every result; the official tasks client rejects it without).
  if (task.status === 'completed') view.result = { ...task.result, resultType: 'complete' };
  if (task.status === 'failed') view.error = task.error ?? { code: ErrorCode.InternalError, message: 'Task failed' };
  return view;
}

/** What a running task gives the handler in place of MRTR: asks that wait for tasks/update. */
export interface TaskRun {
  readonly taskId: string;
  /** Aborted when tasks/cancel arrives. */
  readonly signal: AbortSignal;
  ask(key: string, request: InputRequest): Promise<unknown>;
  finish(outcome: { result: JsonObject } | { error: JsonObject } | { cancelled: true }): Promise<void>;
}

export class Tasks {
  readonly #store: Store;
  readonly #bus: Bus;
  readonly #ttlMs: number;
  readonly #pollMs: number;
  readonly promoteAfterMs: number;
  readonly #now: () => number;

  constructor(store: Store, bus: Bus, options: TaskOptions = {}, now: () => number = Date.now) {
    this.#store = store;
    this.#bus = bus;
    this.#ttlMs = options.ttlMs ?? 3_600_000;
    this.#pollMs = options.pollIntervalMs ?? 500;
    this.promoteAfterMs = options.promoteAfterMs ?? 250;
    this.#now = now;
  }

  /**
   * Persists a new working task (durably, before CreateTaskResult goes out) and starts its run.
   * `report` receives what fails in the run's background (heartbeat, cancellation checks).
   */
  async create(owner: string | undefined, report: (error: unknown) => void): Promise<{ created: JsonObject; run: TaskRun }> {
    const stamp = new Date(this.#now()).toISOString();
    const task: StoredTask = { taskId: crypto.randomUUID(), status: 'working', createdAt: stamp, lastUpdatedAt: stamp, ttlMs: this.#ttlMs, pollIntervalMs: this.#pollMs, rev: 0 };
    if (owner !== undefined) task.owner = owner;
    await this.#store.set(`task:${task.taskId}`, JSON.stringify(task), task.ttlMs);
    return { created: publicView(task, false), run: await this.#start(task, report) };
  }

  async get(taskId: unknown, owner: string | undefined): Promise<JsonObject> {
    const { task } = await this.#load(taskId, owner);
    if (TERMINAL.has(task.status) || (await this.#store.get(`task:${task.taskId}:alive`)) !== undefined) return publicView(task, true);
    // No heartbeat. Either the task finished after the read above (the runner stores the terminal
    // state, then ends the heartbeat), so a second read finds it, or its instance died with the
    // work (a process killed, a function frozen without waitUntil) and no one will finish it.
    const { task: now } = await this.#load(taskId, owner);
    if (TERMINAL.has(now.status)) return publicView(now, true);
    return publicView({ ...now, status: 'failed', error: { code: ErrorCode.InternalError, message: 'The server instance running this task stopped before it finished; call the tool again.' } }, true);
  }

  async update(taskId: unknown, inputResponses: unknown, owner: string | undefined): Promise<JsonObject> {
    const { task } = await this.#load(taskId, owner);
    if (!isJsonObject(inputResponses)) throw new McpError(ErrorCode.InvalidParams, 'tasks/update needs params.inputResponses: an object keyed like the task\'s inputRequests.');
    const written = await this.#change(task.taskId, owner, (current) => {
      // Answers for keys not outstanding are ignored (SHOULD): never issued, answered or superseded.
      const outstanding = new Map(current.status === 'input_required' ? Object.entries(current.inputRequests ?? {}) : []);
      const accepted = Object.keys(inputResponses).filter((key) => outstanding.has(key) && inputResponses[key] !== undefined);
      if (accepted.length === 0) return undefined;
      for (const key of accepted) {
        const { method } = outstanding.get(key)!;
        if (!isValidInputResponse(method, inputResponses[key])) {
          throw new McpError(ErrorCode.InvalidParams, `inputResponses.${key} is not a valid ${method} result; send the answer in the shape that request defines, or leave the key out.`);
        }
        outstanding.delete(key);
      }
      const answers = { ...current.answers, ...Object.fromEntries(accepted.map((key) => [key, inputResponses[key]])) };
      if (outstanding.size > 0) return { answers, inputRequests: Object.fromEntries(outstanding) };
      return { answers, status: 'working', inputRequests: undefined, statusMessage: undefined };
    });
    if (written) await this.#bus.publishTo(`task:${task.taskId}`, 'update');
    return {};
  }

  async cancel(taskId: unknown, owner: string | undefined): Promise<JsonObject> {
    const { task } = await this.#load(taskId, owner);
    // Cancelling a finished task is acknowledged the same way: the request is idempotent.
    if (!TERMINAL.has(task.status)) {
      await this.#store.set(`task:${task.taskId}:cancel`, '1', task.ttlMs);
      await this.#bus.publishTo(`task:${task.taskId}`, 'cancel');
    }
    return {};
  }

  /** The stored task and the exact text it was read as (what a compare-and-set must find). */
  async #load(taskId: unknown, owner: string | undefined): Promise<{ task: StoredTask; raw: string }> {
    if (typeof taskId !== 'string' || taskId === '') throw new McpError(ErrorCode.InvalidParams, 'params.taskId must be the taskId the server returned.');
    const raw = await this.#store.get(`task:${taskId}`);
    const task = raw === undefined ? undefined : (JSON.parse(raw) as StoredTask);
    if (!task || task.owner !== owner) throw notFound(taskId);
    return { task, raw: raw! };
  }

  /**
   * Applies `change` to the task as stored now, and writes the result only if nobody wrote in
   * between; after a conflict it reads again and recomputes. `change` returns undefined to write
   * nothing. Resolves whether it wrote; every write is announced to listen streams.
   */
  async #change(taskId: string, owner: string | undefined, change: (task: StoredTask) => TaskChange | undefined): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      // A few writers per task conflict a few times at most; endless conflicts mean a broken store.
      if (attempt > MAX_CHANGE_ATTEMPTS) throw new Error(`Task ${taskId} changed under every one of ${MAX_CHANGE_ATTEMPTS} attempts to update it; check that the store's compareAndSet compares values exactly as get returns them.`);
      const { task, raw } = await this.#load(taskId, owner);
      const patch = change(task);
      if (patch === undefined) return false;
      const next: StoredTask = { ...task, ...patch, lastUpdatedAt: new Date(this.#now()).toISOString(), rev: task.rev + 1 };
      if (await this.#store.compareAndSet(`task:${taskId}`, raw, JSON.stringify(next), next.ttlMs)) {
        const view = publicView(next, true);
        await this.#bus.publish(next.owner === undefined ? { type: 'tasks/status', task: view } : { type: 'tasks/status', task: view, owner: next.owner });
        return true;
      }
    }
  }

  async #start(task: StoredTask, report: (error: unknown) => void): Promise<TaskRun> {
    const { taskId, owner } = task;
    const controller = new AbortController();
    const waiters = new Set<() => void>();
    const wake = () => {
      for (const waiter of [...waiters]) waiter();
    };
    const channel = `task:${taskId}`;
    const stop = await this.#bus.subscribeTo(channel, wake);
    const checkCancel = async () => {
      if (!controller.signal.aborted && (await this.#store.get(`${channel}:cancel`)) !== undefined) controller.abort(new Error('task cancelled'));
    };
    /** The answer tasks/update took for `key`, if it is a valid one for `request`. */
    const answerIn = (current: StoredTask, key: string, request: InputRequest): unknown => {
      const answers = current.answers ?? {};
      const answer = Object.hasOwn(answers, key) ? answers[key] : undefined;
      return answer !== undefined && isValidInputResponse(request.method, answer) ? answer : undefined;
    };

    const ask = async (key: string, request: InputRequest): Promise<unknown> => {
      let answer: unknown;
      // One step: either the answer is already there (asked again after it came), or the ask is added.
      await this.#change(taskId, owner, (current) => {
        answer = answerIn(current, key, request);
        if (answer !== undefined) return undefined;
        return { status: 'input_required', inputRequests: { ...current.inputRequests, [key]: request }, statusMessage: 'Waiting for input from the client.' };
      });
      while (answer === undefined) {
        await checkCancel();
        if (controller.signal.aborted) throw controller.signal.reason;
        // Wait for a bus wake-up, or poll: a message published while nobody listened is lost.
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            waiters.delete(done);
            resolve();
          };
          const timer = setTimeout(done, this.#pollMs);
          waiters.add(done);
        });
        answer = answerIn((await this.#load(taskId, owner)).task, key, request);
      }
      return answer;
    };

    const beat = () => this.#store.set(`${channel}:alive`, '1', this.#pollMs * 4);
    await beat();
    // Background store calls have no caller to fail: their errors go to `report` (the server's
    // onError), once per outage rather than on every tick while the store is down. A lapsing
    // heartbeat makes other instances report the task failed, so the operator must hear of it.
    let failing = false;
    const inBackground = (work: Promise<unknown>) =>
      void work.then(
        () => (failing = false),
        (error: unknown) => {
          if (!failing) report(error);
          failing = true;
        },
      );
    // Each tick renews the heartbeat and looks for a cancellation that arrived without a bus message.
    const cancelWatch = setInterval(() => inBackground(Promise.all([beat(), checkCancel()])), this.#pollMs);
    waiters.add(() => inBackground(checkCancel()));

    return {
      taskId,
      signal: controller.signal,
      ask,
      finish: async (outcome) => {
        clearInterval(cancelWatch);
        stop();
        const ended: TaskChange = { inputRequests: undefined, answers: undefined, statusMessage: undefined };
        if ('result' in outcome) await this.#change(taskId, owner, () => ({ ...ended, status: 'completed', result: outcome.result }));
        else if ('error' in outcome) await this.#change(taskId, owner, () => ({ ...ended, status: 'failed', error: outcome.error }));
        else await this.#change(taskId, owner, () => ({ ...ended, status: 'cancelled', statusMessage: 'The task was cancelled.' }));
        // Only once the terminal state is stored: a reader in between must not see a dead task.
        await this.#store.delete(`${channel}:alive`);
      },
    };
  }
}

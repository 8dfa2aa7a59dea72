// Two instances of the tasks extension on one store, deterministically interleaved: each has its
// own bus, so the runner hears of an answer only when the test wakes it (as after a lost message,
// when only its poll would), and every read happens at a chosen point between the writes.
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryBus, MemoryStore } from '../store/memory.ts';
import type { TaskRun } from './tasks.ts';
import { Tasks } from './tasks.ts';

const ask = (message: string) => ({ method: 'elicitation/create' as const, params: { message, requestedSchema: { type: 'object', properties: {} } } });
const accept = (name: string) => ({ action: 'accept', content: { name } });
// Long enough that no poll or heartbeat runs during a test: the runner wakes only when told to.
const QUIET = { pollIntervalMs: 60_000 };

function twoInstances() {
  const store = new MemoryStore();
  const runnerBus = new MemoryBus();
  const other = new Tasks(store, new MemoryBus(), QUIET);
  /** What tasks/update's wake-up message would do, had it reached the runner's instance. */
  const wake = (taskId: string) => runnerBus.publishTo(`task:${taskId}`, 'update');
  return {
    runner: new Tasks(store, runnerBus, QUIET),
    other,
    wake,
    /**
     * With `first` answered ("one") and `second` asked: tasks/get lists only `second`; the runner
     * then reads "one", and "two" once the other instance answers `second`.
     */
    async onlySecondOpenThenBothAnswered(run: TaskRun, first: Promise<unknown>, second: Promise<unknown>) {
      const view = await other.get(run.taskId, undefined);
      expect(view.status).toBe('input_required');
      expect(Object.keys(view.inputRequests as object)).toEqual(['second']);
      await wake(run.taskId);
      expect(await first).toEqual(accept('one'));
      await other.update(run.taskId, { second: accept('two') }, undefined);
      await wake(run.taskId);
      expect(await second).toEqual(accept('two'));
    },
  };
}

const runs: TaskRun[] = [];
afterEach(async () => {
  for (const run of runs.splice(0)) await run.finish({ cancelled: true }).catch(() => undefined);
});

async function started(tasks: Tasks): Promise<TaskRun> {
  // Background failures would mean the in-memory store failed: let the test see them.
  const { run } = await tasks.create(undefined, (error) => {
    throw error;
  });
  runs.push(run);
  return run;
}

/** Lets the runner's pending store operations settle (all in-memory: a few turns of the event loop). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('tasks shared by two instances', () => {
  it('hides an answered key from tasks/get at once, and keeps the first answer when a second one comes', async () => {
    const { runner, other, wake } = twoInstances();
    const run = await started(runner);
    const answered = run.ask('name', ask('Your name?'));
    await settle();
    expect(await other.get(run.taskId, undefined)).toMatchObject({ status: 'input_required', inputRequests: { name: ask('Your name?') } });

    await other.update(run.taskId, { name: accept('first') }, undefined);
    const after = await other.get(run.taskId, undefined);
    expect(after.status).toBe('working');
    expect(after.inputRequests).toBeUndefined();
    // The key is no longer outstanding, so this answer is ignored (ext-tasks: SHOULD).
    await other.update(run.taskId, { name: accept('second') }, undefined);

    await wake(run.taskId);
    expect(await answered).toEqual(accept('first'));
  });

  it('keeps a task input_required with only the unanswered key after a partial update', async () => {
    const { runner, other, onlySecondOpenThenBothAnswered } = twoInstances();
    const run = await started(runner);
    const first = run.ask('first', ask('First?'));
    const second = run.ask('second', ask('Second?'));
    await settle();
    expect(Object.keys((await other.get(run.taskId, undefined)).inputRequests as object)).toEqual(['first', 'second']);

    await other.update(run.taskId, { first: accept('one') }, undefined);
    await onlySecondOpenThenBothAnswered(run, first, second);
    await run.finish({ result: { content: [] } });
    expect(await other.get(run.taskId, undefined)).toMatchObject({ status: 'completed', result: { content: [] } });
  });

  it('never lists an answered key again when the runner asks more before it has read the answer', async () => {
    const { runner, other, onlySecondOpenThenBothAnswered } = twoInstances();
    const run = await started(runner);
    const first = run.ask('first', ask('First?'));
    await settle();
    await other.update(run.taskId, { first: accept('one') }, undefined);
    // The runner has not seen the answer yet; what it writes now must build on what is stored.
    const second = run.ask('second', ask('Second?'));
    await settle();
    await onlySecondOpenThenBothAnswered(run, first, second);
  });

  it('gives up with an error naming the store, instead of spinning, when the store refuses every change', async () => {
    // A store whose compareAndSet never matches what its get returned (e.g. re-encoded values).
    class Refusing extends MemoryStore {
      override async compareAndSet(): Promise<boolean> {
        return false;
      }
    }
    const tasks = new Tasks(new Refusing(), new MemoryBus(), QUIET);
    const run = await started(tasks);
    await expect(run.ask('name', ask('Your name?'))).rejects.toThrow(/changed under every one of 100 attempts.*compareAndSet/);
  });

  it('refuses an answer that is not a result of the request it answers, and keeps the key open', async () => {
    const { runner, other } = twoInstances();
    const run = await started(runner);
    void run.ask('name', ask('Your name?'));
    await settle();
    await expect(other.update(run.taskId, { name: { roots: [] } }, undefined)).rejects.toThrow(/inputResponses\.name .*elicitation\/create/);
    expect(await other.get(run.taskId, undefined)).toMatchObject({ status: 'input_required', inputRequests: { name: ask('Your name?') } });
  });
});

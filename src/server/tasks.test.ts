import { afterEach, describe, expect, it } from 'vitest';
import { MemoryBus, MemoryStore } from '../store/memory.ts';
import { StoreUnavailableError } from '../store/store.ts';
import { Tasks } from './tasks.ts';
import type { TaskRun } from './tasks.ts';

/** A MemoryStore that loses the keys matching `down`, as an outage would, and logs each call. */
class OutageStore extends MemoryStore {
  down: RegExp | undefined;
  /** `ok <key>` or `failed <key>`, in call order. */
  readonly log: string[] = [];
  #waiters: { pattern: RegExp; count: number; resolve: () => void }[] = [];

  override set(key: string, value: string, ttlMs: number): Promise<void> {
    return this.#call(key, () => super.set(key, value, ttlMs));
  }

  override get(key: string): Promise<string | undefined> {
    return this.#call(key, () => super.get(key));
  }

  count(pattern: RegExp): number {
    return this.log.filter((line) => pattern.test(line)).length;
  }

  /** Resolves once `count` logged calls match `pattern`. */
  logged(pattern: RegExp, count: number): Promise<void> {
    return new Promise((resolve) => {
      this.#waiters.push({ pattern, count, resolve });
      this.#notify();
    });
  }

  async #call<T>(key: string, work: () => Promise<T>): Promise<T> {
    if (this.down?.test(key)) {
      this.#record(`failed ${key}`);
      throw new StoreUnavailableError(`store down (${key})`);
    }
    const value = await work();
    this.#record(`ok ${key}`);
    return value;
  }

  #record(line: string): void {
    this.log.push(line);
    this.#notify();
  }

  #notify(): void {
    const due = this.#waiters.filter((waiter) => this.count(waiter.pattern) >= waiter.count);
    this.#waiters = this.#waiters.filter((waiter) => !due.includes(waiter));
    for (const waiter of due) waiter.resolve();
  }
}

/** Lets every promise reaction already queued run (a report follows the failure it reports). */
const drained = () => new Promise((resolve) => setTimeout(resolve, 0));

const runs: TaskRun[] = [];
afterEach(async () => {
  for (const run of runs.splice(0)) await run.finish({ cancelled: true });
});

async function startTask(store: OutageStore, bus: MemoryBus, pollIntervalMs: number) {
  const reports: unknown[] = [];
  const { run } = await new Tasks(store, bus, { pollIntervalMs }).create(undefined, (error) => reports.push(error));
  runs.push(run);
  return { run, reports };
}

describe('a running task whose store calls fail in the background', () => {
  it('reports a failing heartbeat to onError once per outage instead of dropping it', async () => {
    const store = new OutageStore();
    const { reports } = await startTask(store, new MemoryBus(), 5);
    store.down = /:alive$/;
    await store.logged(/^failed .*:alive$/, 3);
    await drained();
    expect(reports).toEqual([expect.any(StoreUnavailableError)]);
    // The store recovers, then fails again: a new outage, reported again.
    const beats = store.count(/^ok .*:alive$/);
    store.down = undefined;
    await store.logged(/^ok .*:alive$/, beats + 1);
    store.down = /:alive$/;
    await store.logged(/^failed .*:alive$/, 4);
    await drained();
    store.down = undefined;
    expect(reports).toHaveLength(2);
  });

  it('reports a cancellation check that a bus wake-up started, instead of leaving an unhandled rejection', async () => {
    const store = new OutageStore();
    const bus = new MemoryBus();
    // A poll interval longer than the test: only the wake-up checks for cancellation.
    const { run, reports } = await startTask(store, bus, 3_600_000);
    store.down = /:cancel$/;
    await bus.publishTo(`task:${run.taskId}`, 'update');
    await store.logged(/^failed .*:cancel$/, 1);
    await drained();
    store.down = undefined;
    expect(reports).toEqual([expect.any(StoreUnavailableError)]);
  });
});

describe('tasks/get while the task finishes', () => {
  it('reports the stored result, not a dead task, when the task finished between reading it and its heartbeat', async () => {
    const finishing: { run?: TaskRun } = {};
    // The runner finishes exactly between get's read of the task and its read of the heartbeat.
    class FinishingStore extends MemoryStore {
      override async get(key: string): Promise<string | undefined> {
        const run = finishing.run;
        if (run && key === `task:${run.taskId}:alive`) {
          finishing.run = undefined;
          await run.finish({ result: { content: [{ type: 'text', text: 'done' }] } });
        }
        return super.get(key);
      }
    }
    const tasks = new Tasks(new FinishingStore(), new MemoryBus(), { pollIntervalMs: 3_600_000 });
    const { run } = await tasks.create(undefined, () => undefined);
    finishing.run = run;
    const seen = await tasks.get(run.taskId, undefined);
    expect(seen).toMatchObject({ taskId: run.taskId, status: 'completed', result: { content: [{ type: 'text', text: 'done' }] } });
  });

  it('still reports a task whose heartbeat lapsed without a terminal state as failed', async () => {
    const store = new OutageStore();
    const tasks = new Tasks(store, new MemoryBus(), { pollIntervalMs: 3_600_000 });
    const { run } = await tasks.create(undefined, () => undefined);
    runs.push(run);
    await store.delete(`task:${run.taskId}:alive`);
    expect(await tasks.get(run.taskId, undefined)).toMatchObject({ status: 'failed', error: { message: expect.stringContaining('stopped before it finished') } });
  });
});

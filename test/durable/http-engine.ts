// Store and Bus handles, in Node, whose every operation runs inside a fixture Worker
// (test/fixtures/durable-worker.ts) on DurableStore / DurableBus: so the shared contract suites of
// src/store/store.contract.ts run unchanged against the Durable Objects engine in workerd.
import type { Bus, Hit, ServerEvent, Store } from '../../src/store/store.ts';

async function call(url: string, body: unknown): Promise<unknown> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const answer = (await response.json()) as { result?: unknown; error?: { name: string; message: string } };
  if (answer.error) {
    const error = answer.error.name === 'TypeError' ? new TypeError(answer.error.message) : new Error(answer.error.message);
    if (error.name !== answer.error.name) Object.defineProperty(error, 'name', { value: answer.error.name });
    throw error;
  }
  return answer.result;
}

export class HttpStore implements Store {
  constructor(readonly origin: string) {}
  // Numbers travel as strings: JSON has no NaN or Infinity, and the contract sends both.
  async claim(key: string, expiresAt: number): Promise<boolean> {
    return (await call(`${this.origin}/contract/store`, { op: 'claim', key, expiresAt: String(expiresAt) })) as boolean;
  }
  async get(key: string): Promise<string | undefined> {
    return ((await call(`${this.origin}/contract/store`, { op: 'get', key })) as string | null) ?? undefined;
  }
  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await call(`${this.origin}/contract/store`, { op: 'set', key, value, ttlMs: String(ttlMs) });
  }
  async delete(key: string): Promise<void> {
    await call(`${this.origin}/contract/store`, { op: 'delete', key });
  }
  async compareAndSet(key: string, expected: string | undefined, value: string, ttlMs: number): Promise<boolean> {
    return (await call(`${this.origin}/contract/store`, { op: 'compareAndSet', key, expected: expected ?? null, value, ttlMs: String(ttlMs) })) as boolean;
  }

  async hit(key: string, windowMs: number): Promise<Hit> {
    return (await call(`${this.origin}/contract/store`, { op: 'hit', key, windowMs: String(windowMs) })) as Hit;
  }
}

/** Opens a newline-delimited JSON stream; resolves after its first (`ready`) line, then hands on the rest. */
async function openLines(url: string, signal: AbortSignal, onLine: (line: Record<string, unknown>) => void): Promise<void> {
  const response = await fetch(url, { signal });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let ready: () => void = () => undefined;
  const first = new Promise<void>((resolve) => (ready = resolve));
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n')) !== -1) {
          const line = JSON.parse(buffer.slice(0, end)) as Record<string, unknown>;
          buffer = buffer.slice(end + 1);
          if (line.ready) ready();
          else onLine(line);
        }
      }
    } catch {
      // Aborted by unsubscribe.
    }
  })();
  await first;
}

// A subscription opens its stream in the background (subscribe is synchronous); publishing from
// any handle first waits until every such stream reached its Worker, as one process would order it.
const opening = new Set<Promise<void>>();

/** Ends a subscription in its Worker: wrangler dev does not tell the Worker that a client went away. */
function unsubscribe(origin: string, id: string, controller: AbortController): void {
  void fetch(`${origin}/contract/unsubscribe?id=${id}`, { method: 'POST' })
    .catch(() => undefined)
    .finally(() => controller.abort());
}

export class HttpBus implements Bus {
  constructor(readonly origin: string) {}

  async publish(event: ServerEvent): Promise<void> {
    await Promise.all([...opening]);
    await call(`${this.origin}/contract/publish`, { event });
  }

  subscribe(listener: (event: ServerEvent) => void): () => void {
    const controller = new AbortController();
    let live = true;
    const id = crypto.randomUUID();
    const opened = openLines(`${this.origin}/contract/subscribe?id=${id}`, controller.signal, (line) => live && listener(line.event as ServerEvent)).catch(() => undefined);
    opening.add(opened);
    void opened.finally(() => opening.delete(opened));
    return () => {
      live = false;
      unsubscribe(this.origin, id, controller);
    };
  }

  async publishTo(channel: string, message: string): Promise<boolean> {
    return (await call(`${this.origin}/contract/publishTo`, { channel, message })) as boolean;
  }

  async subscribeTo(channel: string, listener: (message: string) => void): Promise<() => void> {
    const controller = new AbortController();
    let live = true;
    const id = crypto.randomUUID();
    await openLines(`${this.origin}/contract/subscribeTo?id=${id}&channel=${encodeURIComponent(channel)}`, controller.signal, (line) => live && listener(line.message as string));
    return () => {
      live = false;
      unsubscribe(this.origin, id, controller);
    };
  }
}

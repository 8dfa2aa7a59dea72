// How the Worker-side classes reach the coordinator: one `stub.fetch` per operation, a deadline, a
// fresh stub each time (a stub that saw an exception may stay broken), and errors that say what to
// check. Shared by DurableStore and DurableBus.
import { StoreUnavailableError } from '../store/store.ts';
import type { DurableObjectNamespace, DurableObjectStub } from './types.ts';

export interface DurableOptions {
  /** Prepended to every coordinator name, so several apps can share one class. Default `"mcp:"`. */
  prefix?: string;
  /**
   * How many coordinator objects keys and directed channels are spread over (1 to 64; default 1).
   * Keep it fixed for a deployment: changing it moves keys to other objects, forgetting live claims.
   */
  shards?: number;
  /** How long one operation may take, in ms. Default 5000. */
  timeoutMs?: number;
  /** Receives bus connection errors that have no caller to reject (a subscriber's dropped socket). Default: console.error. */
  onError?: (error: Error) => void;
}

/** The coordinator Durable Object could not be reached or failed; operations fail with it, the next one tries again. */
export class DurableUnavailableError extends StoreUnavailableError {
  override readonly name = 'DurableUnavailableError';
  readonly code = 'DURABLE_UNAVAILABLE';
}

/** Where requests to the coordinator go; the host part is never resolved (the stub routes them). */
export const ORIGIN = 'https://mcp-coordinator';

const CHECK =
  'Check that wrangler.toml binds the McpCoordinator class ([[durable_objects.bindings]] with the binding name you pass, e.g. env.MCP_COORDINATOR), ' +
  'that the Worker exports McpCoordinator from its main module, and that a [[migrations]] entry lists it in new_sqlite_classes; the next operation tries again';

// FNV-1a: a stable, synchronous spread of names over shards.
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export class Coordinators {
  readonly #namespace: DurableObjectNamespace;
  readonly #prefix: string;
  readonly #shards: number;
  readonly timeoutMs: number;
  readonly onError: (error: Error) => void;

  constructor(namespace: DurableObjectNamespace, options: DurableOptions, who: string) {
    if (!namespace || typeof namespace.idFromName !== 'function' || typeof namespace.get !== 'function') {
      throw new TypeError(
        `${who} needs a Durable Object namespace binding such as env.MCP_COORDINATOR; got ${namespace === undefined ? 'undefined' : typeof namespace}. ` +
          'Add [[durable_objects.bindings]] name = "MCP_COORDINATOR", class_name = "McpCoordinator" to wrangler.toml (and a [[migrations]] entry with new_sqlite_classes = ["McpCoordinator"]).',
      );
    }
    const shards = options.shards ?? 1;
    if (!Number.isInteger(shards) || shards < 1 || shards > 64) throw new TypeError(`shards must be a whole number from 1 to 64; got ${String(options.shards)}.`);
    const timeoutMs = options.timeoutMs ?? 5_000;
    if (!(timeoutMs > 0)) throw new TypeError(`timeoutMs must be a positive number of milliseconds; got ${String(options.timeoutMs)}.`);
    this.#namespace = namespace;
    this.#prefix = options.prefix ?? 'mcp:';
    this.#shards = shards;
    this.timeoutMs = timeoutMs;
    this.onError = options.onError ?? ((error) => console.error(`[stateless-mcp/durable] ${error.message}`));
  }

  /** The coordinator name for a key or channel of `role`; `undefined` names shard 0 (the events object). */
  nameFor(role: 'store' | 'bus', key?: string): string {
    const shard = key === undefined || this.#shards === 1 ? 0 : hash(key) % this.#shards;
    return `${this.#prefix}${role}:${shard}`;
  }

  stub(name: string): DurableObjectStub {
    return this.#namespace.get(this.#namespace.idFromName(name));
  }

  /** POSTs `body` as JSON to `path` on the coordinator `name` and resolves its JSON answer. */
  async call<T>(name: string, path: string, body: Record<string, unknown>, what: string, retry = false): Promise<T> {
    try {
      return await this.#once<T>(name, path, body, what);
    } catch (error) {
      // Only for idempotent operations, and only when the runtime says a retry is safe (e.g. the
      // object was reset by a deploy). A claim is never retried: it may have been recorded.
      if (!retry || !(error instanceof DurableUnavailableError) || (error.cause as { retryable?: unknown } | undefined)?.retryable !== true) throw error;
      return this.#once<T>(name, path, body, what);
    }
  }

  async #once<T>(name: string, path: string, body: Record<string, unknown>, what: string): Promise<T> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    let refused: TypeError | undefined;
    try {
      const response = await this.stub(name).fetch(`${ORIGIN}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: controller.signal });
      const text = await response.text();
      if (response.status === 400) throw (refused = new TypeError(text));
      if (!response.ok) throw this.unavailable(name, what, `it answered HTTP ${response.status}: ${text.slice(0, 300)}`);
      return JSON.parse(text) as T;
    } catch (error) {
      if (error === refused || error instanceof DurableUnavailableError) throw error;
      const cause = error instanceof Error ? error : new Error(String(error));
      throw this.unavailable(name, what, controller.signal.aborted ? `no answer within ${this.timeoutMs} ms` : cause.message.replace(/\.+$/, ''), cause);
    } finally {
      clearTimeout(timer);
    }
  }

  unavailable(name: string, what: string, detail: string, cause?: Error): DurableUnavailableError {
    return new DurableUnavailableError(`Durable Object coordinator "${name}" is unavailable for ${what}: ${detail}. ${CHECK}.`, { cause });
  }
}

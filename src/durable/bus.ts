// Bus on the coordinator Durable Object. Publishing is one `stub.fetch`. Each subscription holds its
// own WebSocket to the coordinator, opened from the request that subscribes (workerd ties a socket
// to the request that opened it, and a `subscriptions/listen` stream or a waiting handler is that
// request), and closed when it unsubscribes. The coordinator accepts these sockets through the
// hibernation API, so idle listeners cost no Durable Object duration.
//
// `subscribe` is synchronous while the socket opens in the background: the socket asks the
// coordinator for the events it received since the moment of subscribing, so an event published
// right after (say, after a listen stream's acknowledgement) still arrives. A dropped socket
// reconnects by itself, with the same catch-up; events older than a few seconds are not kept.
import type { Bus, ServerEvent } from '../store/store.ts';
import { deliverSafely, parseEvent, reportSafely } from '../store/deliver.ts';
import { Coordinators, ORIGIN } from './client.ts';
import type { DurableOptions } from './client.ts';
import type { DurableObjectNamespace, UpgradeResponse, WorkersWebSocket } from './types.ts';


const RETRY_MS = [100, 250, 500, 1_000, 2_000, 5_000];

/** One subscription's socket: opens, reconnects after a drop until closed, hands each message on. */
class Link {
  #socket: WorkersWebSocket | undefined;
  #closed = false;
  #failures = 0;
  #reported = false;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #droppedAt: number | undefined;

  constructor(
    private readonly coordinators: Coordinators,
    private readonly name: string,
    /** The query of the socket URL; `droppedAt` is when the previous socket dropped, if one did. */
    private readonly query: (droppedAt: number | undefined) => string,
    private readonly what: string,
    private readonly deliver: (message: string) => void,
  ) {}

  /** Opens the socket; rejects with a DurableUnavailableError when the coordinator cannot be reached. */
  async open(): Promise<void> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.coordinators.timeoutMs);
    let response: UpgradeResponse;
    try {
      response = await this.coordinators.stub(this.name).fetch(`${ORIGIN}/subscribe?${this.query(this.#droppedAt)}`, { headers: { upgrade: 'websocket' }, signal: controller.signal });
    } catch (error) {
      const cause = error instanceof Error ? error : new Error(String(error));
      throw this.coordinators.unavailable(this.name, this.what, controller.signal.aborted ? `no answer within ${this.coordinators.timeoutMs} ms` : cause.message.replace(/\.+$/, ''), cause);
    } finally {
      clearTimeout(timer);
    }
    const socket = response.webSocket;
    if (!socket) throw this.coordinators.unavailable(this.name, this.what, `it answered HTTP ${response.status} instead of a WebSocket: ${(await response.text()).slice(0, 300)}`);
    // Listeners before accept(): the coordinator may already have queued catch-up messages.
    socket.addEventListener('message', (event) => {
      if (this.#socket === socket && typeof event.data === 'string') this.deliver(event.data);
    });
    socket.addEventListener('close', (event) => this.#dropped(socket, `the socket closed (${event.code}${event.reason ? ` ${event.reason}` : ''})`));
    socket.addEventListener('error', () => this.#dropped(socket, 'the socket failed'));
    if (this.#closed) {
      socket.accept();
      return socket.close(1000, 'unsubscribed');
    }
    this.#socket = socket;
    this.#failures = 0;
    this.#reported = false;
    socket.accept();
  }

  /** Opens in the background, retrying until it works or the subscription ends. */
  start(): void {
    this.open().catch((error: Error) => this.#again(error));
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#retry);
    const socket = this.#socket;
    this.#socket = undefined;
    try {
      socket?.close(1000, 'unsubscribed');
    } catch {
      // Already closed.
    }
  }

  #dropped(socket: WorkersWebSocket, detail: string): void {
    if (this.#socket !== socket || this.#closed) return;
    this.#socket = undefined;
    this.#droppedAt = Date.now();
    this.#again(this.coordinators.unavailable(this.name, this.what, `${detail}; reconnecting`));
  }

  #again(error: Error): void {
    if (this.#closed) return;
    if (!this.#reported) {
      this.#reported = true;
      try {
        this.coordinators.onError(error);
      } catch {
        // A failing onError hook must not stop reconnecting.
      }
    }
    const delay = RETRY_MS[Math.min(this.#failures++, RETRY_MS.length - 1)]!;
    this.#retry = setTimeout(() => this.start(), delay);
  }
}

/**
 * @example
 * const bus = new DurableBus(env.MCP_COORDINATOR);
 * const server = createServer({ name: 'weather', version: '1.0.0', bus, store: new DurableStore(env.MCP_COORDINATOR) });
 */
export class DurableBus implements Bus {
  readonly #coordinators: Coordinators;

  constructor(namespace: DurableObjectNamespace, options: DurableOptions = {}) {
    this.#coordinators = new Coordinators(namespace, options, 'DurableBus');
  }

  async publish(event: ServerEvent): Promise<void> {
    await this.#coordinators.call(this.#coordinators.nameFor('bus'), '/bus/publish', { event: JSON.stringify(event) }, 'publish');
  }

  subscribe(listener: (event: ServerEvent) => void): () => void {
    // Caught up from this moment: on a reconnect, from the moment the socket dropped.
    const since = Date.now();
    const link = new Link(this.#coordinators, this.#coordinators.nameFor('bus'), (droppedAt) => `since=${droppedAt ?? since}`, 'subscribe', (message) => {
      const event = parseEvent(message);
      if (!event) return this.#report(new Error(`Ignored a bus message that is not a change event: ${message.slice(0, 200)}`));
      this.#deliver(() => listener(event));
    });
    link.start();
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      link.close();
    };
  }

  async publishTo(channel: string, message: string): Promise<boolean> {
    const answer = await this.#coordinators.call<{ delivered: boolean }>(this.#coordinators.nameFor('bus', channel), '/bus/publishTo', { channel, message }, 'publishTo');
    return answer.delivered;
  }

  async subscribeTo(channel: string, listener: (message: string) => void): Promise<() => void> {
    const link = new Link(this.#coordinators, this.#coordinators.nameFor('bus', channel), () => `channel=${encodeURIComponent(channel)}`, 'subscribeTo', (message) =>
      this.#deliver(() => listener(message)),
    );
    await link.open();
    return () => link.close();
  }

  #deliver(run: () => void): void {
    deliverSafely(run, (error) => this.#report(error));
  }

  #report(error: Error): void {
    reportSafely(error, (e) => this.#coordinators.onError(e));
  }
}

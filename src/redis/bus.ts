// Bus on Redis pub/sub: change events on one channel (`<prefix>events`), directed messages on
// `<prefix>to:<channel>`. Publishing uses the command connection; a dedicated subscriber connection
// (subscribed mode allows no other commands) listens, and ioredis subscribes it again after a
// reconnect. Pub/sub keeps no history: what is published while an instance is cut off is lost
// to it. Must not import `node:`.
import { deliverSafely, parseEvent, reportSafely } from '../store/deliver.ts';
import type { Redis } from 'ioredis';
import type { Bus, ServerEvent } from '../store/store.ts';
import { RedisConnection, SUBSCRIBER_DEFAULTS, createClient } from './connection.ts';
import type { RedisConnectionOptions } from './connection.ts';

interface Channel {
  listeners: Set<(message: string) => void>;
  subscribed: Promise<unknown>;
}


/**
 * @example
 * const bus = new RedisBus(process.env.REDIS_URL!);
 * await bus.ready(); // before serving: a listen stream must not miss the first changes
 * const server = createServer({ name: 'weather', version: '1.0.0', bus, store: new RedisStore(process.env.REDIS_URL!) });
 */
export class RedisBus implements Bus {
  readonly #publisher: RedisConnection;
  readonly #subscriber: RedisConnection;
  readonly #events: string;
  readonly #directed: string;
  readonly #listeners = new Set<(event: ServerEvent) => void>();
  readonly #channels = new Map<string, Channel>();
  readonly #eventsSubscribed: Promise<unknown>;
  readonly #onError: (error: Error) => void;

  /**
   * `redis`: a `redis://` URL (the bus makes and owns both connections) or an ioredis client, used
   * for publishing and left open by `close()`; the subscriber connection is always the bus's own.
   */
  constructor(redis: Redis | string, options: RedisConnectionOptions = {}) {
    const prefix = options.prefix ?? 'mcp:';
    this.#events = `${prefix}events`;
    this.#directed = `${prefix}to:`;
    this.#onError = options.onError ?? ((error) => console.error(`[stateless-mcp/redis] ${error.message}`));
    this.#publisher = new RedisConnection(redis, options);
    const subscriber = typeof redis === 'string' ? createClient(redis, SUBSCRIBER_DEFAULTS, options) : redis.duplicate(SUBSCRIBER_DEFAULTS);
    this.#subscriber = new RedisConnection(subscriber, options, { owned: true });
    subscriber.on('message', (channel: string, message: string) => this.#dispatch(channel, message));
    // Subscribed at once, not on the first listener: a listen stream acknowledges before it
    // subscribes, and a change published right after the acknowledgement must not fall in a gap.
    this.#eventsSubscribed = subscriber.subscribe(this.#events);
    this.#eventsSubscribed.catch(() => undefined); // surfaced by ready() and by the connection's onError
  }

  /** Resolves once change events published anywhere reach this bus; await it before serving. */
  async ready(): Promise<void> {
    await this.#subscriber.within(`SUBSCRIBE ${this.#events}`, this.#eventsSubscribed);
  }

  async publish(event: ServerEvent): Promise<void> {
    await this.#publisher.run('PUBLISH (event)', (c) => c.publish(this.#events, JSON.stringify(event)));
  }

  subscribe(listener: (event: ServerEvent) => void): () => void {
    // Wrap so the same function may subscribe twice and unsubscribe independently.
    const entry = (event: ServerEvent) => listener(event);
    this.#listeners.add(entry);
    return () => this.#listeners.delete(entry);
  }

  async publishTo(channel: string, message: string): Promise<boolean> {
    const receivers = await this.#publisher.run('PUBLISH (directed)', (c) => c.publish(this.#directed + channel, message));
    return receivers > 0;
  }

  async subscribeTo(channel: string, listener: (message: string) => void): Promise<() => void> {
    const name = this.#directed + channel;
    let entry = this.#channels.get(name);
    if (!entry) {
      // Sent straight to ioredis (not gated on readiness): it queues SUBSCRIBE until connected.
      entry = { listeners: new Set(), subscribed: this.#subscriber.client.subscribe(name) };
      this.#channels.set(name, entry);
    }
    const wrapped = (message: string) => listener(message);
    entry.listeners.add(wrapped);
    const unsubscribe = () => this.#leave(name, entry, wrapped);
    try {
      await this.#subscriber.within(`SUBSCRIBE ${name}`, entry.subscribed);
    } catch (error) {
      unsubscribe();
      throw error;
    }
    return unsubscribe;
  }

  /** Closes the subscriber, and the publisher if the bus made it. */
  async close(): Promise<void> {
    this.#listeners.clear();
    this.#channels.clear();
    await Promise.all([this.#subscriber.close(), this.#publisher.close()]);
  }

  #leave(name: string, entry: Channel, listener: (message: string) => void): void {
    entry.listeners.delete(listener);
    if (entry.listeners.size > 0 || this.#channels.get(name) !== entry) return;
    // One channel per rendezvous: the last listener leaving must free it in Redis too. A later
    // subscribeTo of the same name queues its SUBSCRIBE behind this UNSUBSCRIBE on one connection.
    this.#channels.delete(name);
    this.#subscriber.client.unsubscribe(name).catch((error: Error) => this.#report(error));
  }

  #dispatch(channel: string, message: string): void {
    if (channel === this.#events) {
      const event = parseEvent(message);
      if (!event) return this.#report(new Error(`Ignored a message on ${channel} that is not a change event: ${message.slice(0, 200)}`));
      for (const listener of [...this.#listeners]) this.#deliver(() => listener(event));
      return;
    }
    const entry = this.#channels.get(channel);
    if (entry) for (const listener of [...entry.listeners]) this.#deliver(() => listener(message));
  }

  #deliver(run: () => void): void {
    deliverSafely(run, (error) => this.#report(error));
  }

  #report(error: Error): void {
    reportSafely(error, (e) => this.#onError(e));
  }
}

// The one Durable Object class behind DurableStore and DurableBus, exported for wrangler. A few
// objects of it (fixed names, `<prefix>store:<n>` and `<prefix>bus:<n>`) serve every session: no
// per-session or per-request objects, and storage is touched only by Store operations.
//
// Store: three SQLite tables, claims, values and counters, each row with its expiry. Reads expire
// lazily; one alarm at a time sweeps what nobody reads again. Bus: subscriber isolates hold
// WebSockets accepted through the hibernation API, tagged by what they listen to; events are not
// stored, only kept in memory for a few seconds so a subscriber that connects just after it
// subscribed misses nothing.
import { requireTtlMs } from '../store/ttl.ts';
import type { DurableObjectState, WebSocketPairConstructor, WorkersWebSocket } from './types.ts';

/** A Workers global (the only runtime a Durable Object runs on); declared here so no Workers types leak into the rest of the package. */
declare const WebSocketPair: WebSocketPairConstructor;

const SWEEP_MS = 60_000;
const RECENT_MS = 10_000;
const RECENT_MAX = 1_000;

/** The hibernation tag of a directed channel's sockets (tags are limited to 256 characters). */
export async function channelTag(channel: string): Promise<string> {
  if (channel.length <= 200) return `to:${channel}`;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(channel)));
  return `to#${Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

export class McpCoordinator {
  protected readonly ctx: DurableObjectState;
  /** How long after a write the alarm sweeps expired rows (and again while any are left). */
  protected sweepMs = SWEEP_MS;
  #tables = false;
  #alarmAt: number | null | undefined;
  /** Events of the last few seconds, for subscribers whose socket opened after they subscribed. */
  readonly #recent: { at: number; data: string }[] = [];

  constructor(ctx: DurableObjectState, _env?: unknown) {
    this.ctx = ctx;
  }

  async fetch(request: Request): Promise<Response> {
    const { pathname, searchParams } = new URL(request.url);
    try {
      if (request.headers.get('upgrade')?.toLowerCase() === 'websocket' && pathname === '/subscribe') {
        return await this.#subscribe(searchParams);
      }
      if (request.method !== 'POST') return json({ error: `Unknown coordinator route ${request.method} ${pathname}` }, 404);
      const body = (await request.json()) as Record<string, unknown>;
      switch (pathname) {
        case '/store/claim':
          return json({ claimed: this.#claim(String(body.key), Number(body.expiresAt)) });
        case '/store/get':
          return json(this.#get(String(body.key)));
        case '/store/set':
          return json(await this.#set(String(body.key), String(body.value), Number(body.ttlMs)));
        case '/store/compareAndSet':
          return json({ written: await this.#compareAndSet(String(body.key), body.expected === null ? undefined : String(body.expected), String(body.value), Number(body.ttlMs)) });
        case '/store/hit':
          return json(await this.#hit(String(body.key), Number(body.windowMs)));
        case '/store/delete':
          this.#sql().exec('DELETE FROM kv WHERE key = ?', String(body.key));
          return json({});
        case '/bus/publish':
          return json({ delivered: this.#publish(String(body.event)) });
        case '/bus/publishTo':
          return json({ delivered: await this.#publishTo(String(body.channel), String(body.message)) });
      }
      return json({ error: `Unknown coordinator route ${pathname}` }, 404);
    } catch (error) {
      if (error instanceof TypeError) return new Response(error.message, { status: 400 });
      return new Response(error instanceof Error ? error.message : String(error), { status: 500 });
    }
  }

  /** Deletes what has expired; comes back while anything is left to expire. */
  async alarm(): Promise<void> {
    const now = Date.now();
    const sql = this.#sql();
    sql.exec('DELETE FROM claims WHERE exp <= ?', now);
    sql.exec('DELETE FROM kv WHERE exp <= ?', now);
    sql.exec('DELETE FROM hits WHERE exp <= ?', now);
    const left = sql.exec('SELECT (SELECT COUNT(*) FROM claims) + (SELECT COUNT(*) FROM kv) + (SELECT COUNT(*) FROM hits) AS n').toArray()[0]?.n;
    this.#alarmAt = null;
    if (Number(left) > 0) await this.#scheduleSweep(now);
  }

  webSocketMessage(): void {
    // Subscribers only receive.
  }

  webSocketClose(ws: WorkersWebSocket, code: number, reason: string): void {
    // Complete the closing handshake; the runtime drops the socket from getWebSockets().
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, reason);
    } catch {
      // Already closed.
    }
  }

  webSocketError(ws: WorkersWebSocket): void {
    this.webSocketClose(ws, 1011, 'error');
  }

  #sql() {
    const sql = this.ctx.storage.sql;
    if (!sql) throw new Error('McpCoordinator needs SQLite storage: list it in new_sqlite_classes (not new_classes) in the [[migrations]] of wrangler.toml.');
    if (!this.#tables) {
      sql.exec('CREATE TABLE IF NOT EXISTS claims (key TEXT PRIMARY KEY, exp INTEGER NOT NULL)');
      sql.exec('CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL, exp INTEGER NOT NULL)');
      sql.exec('CREATE TABLE IF NOT EXISTS hits (key TEXT PRIMARY KEY, count INTEGER NOT NULL, exp INTEGER NOT NULL)');
      this.#tables = true;
    }
    return sql;
  }

  #claim(key: string, expiresAt: number): boolean {
    const now = Date.now();
    const sql = this.#sql();
    const held = sql.exec('SELECT exp FROM claims WHERE key = ?', key).toArray()[0];
    if (held && Number(held.exp) > now) return false;
    // A claim that ends before it starts holds nothing: recording it would only cost a write.
    if (expiresAt > now) {
      sql.exec('INSERT OR REPLACE INTO claims (key, exp) VALUES (?, ?)', key, Math.ceil(expiresAt));
      this.#scheduleSweep(now).catch(() => undefined); // safe: reads ignore expired claims, a missed sweep only delays deleting them
    } else if (held) {
      sql.exec('DELETE FROM claims WHERE key = ?', key);
    }
    return true;
  }

  #get(key: string): { value?: string } {
    const sql = this.#sql();
    const row = sql.exec('SELECT value, exp FROM kv WHERE key = ?', key).toArray()[0];
    if (!row) return {};
    if (Number(row.exp) > Date.now()) return { value: String(row.value) };
    sql.exec('DELETE FROM kv WHERE key = ?', key);
    return {};
  }

  async #set(key: string, value: string, ttlMs: number): Promise<Record<string, never>> {
    if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new TypeError(`ttlMs must be a positive, finite number of milliseconds; got ${String(ttlMs)}.`);
    const now = Date.now();
    this.#sql().exec('INSERT OR REPLACE INTO kv (key, value, exp) VALUES (?, ?, ?)', key, value, now + Math.ceil(ttlMs));
    await this.#scheduleSweep(now);
    return {};
  }

  /** The read and the write run in one synchronous step: a Durable Object serves nothing else meanwhile. */
  async #compareAndSet(key: string, expected: string | undefined, value: string, ttlMs: number): Promise<boolean> {
    if (this.#get(key).value !== expected) return false;
    await this.#set(key, value, ttlMs);
    return true;
  }

  /** Read and write run in one synchronous step: a Durable Object serves nothing else meanwhile. */
  async #hit(key: string, windowMs: number): Promise<{ count: number; resetAt: number }> {
    const window = requireTtlMs(windowMs, 'windowMs');
    const now = Date.now();
    const sql = this.#sql();
    const row = sql.exec('SELECT count, exp FROM hits WHERE key = ?', key).toArray()[0];
    if (row && Number(row.exp) > now) {
      const count = Number(row.count) + 1;
      sql.exec('UPDATE hits SET count = ? WHERE key = ?', count, key);
      return { count, resetAt: Number(row.exp) };
    }
    const resetAt = now + window;
    sql.exec('INSERT OR REPLACE INTO hits (key, count, exp) VALUES (?, 1, ?)', key, resetAt);
    await this.#scheduleSweep(now);
    return { count: 1, resetAt };
  }

  async #scheduleSweep(now: number): Promise<void> {
    this.#alarmAt ??= await this.ctx.storage.getAlarm();
    if (this.#alarmAt !== null) return;
    this.#alarmAt = now + this.sweepMs;
    await this.ctx.storage.setAlarm(this.#alarmAt);
  }

  #subscribe(params: URLSearchParams): Promise<Response> | Response {
    const { 0: client, 1: server } = new WebSocketPair();
    const channel = params.get('channel');
    const accept = (tag: string) => {
      this.ctx.acceptWebSocket(server, [tag]);
      return new Response(null, { status: 101, webSocket: client } as ResponseInit);
    };
    if (channel !== null) return channelTag(channel).then(accept);
    const response = accept('events');
    // Replay what arrived since the subscriber subscribed, before any live event: same order.
    const since = Number(params.get('since'));
    if (Number.isFinite(since)) for (const event of this.#recent) if (event.at >= since) server.send(event.data);
    return response;
  }

  #publish(data: string): number {
    const now = Date.now();
    const recent = this.#recent;
    recent.push({ at: now, data });
    while (recent.length > RECENT_MAX || (recent.length > 0 && recent[0]!.at < now - RECENT_MS)) recent.shift();
    return this.#send(this.ctx.getWebSockets('events'), data);
  }

  async #publishTo(channel: string, message: string): Promise<boolean> {
    return this.#send(this.ctx.getWebSockets(await channelTag(channel)), message) > 0;
  }

  #send(sockets: WorkersWebSocket[], data: string): number {
    let sent = 0;
    for (const ws of sockets) {
      try {
        ws.send(data);
        sent++;
      } catch {
        // Closing: it no longer counts as a listener.
      }
    }
    return sent;
  }
}

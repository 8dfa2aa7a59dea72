// The few Cloudflare Workers / Durable Object types this engine uses, declared here so the core
// needs no `@cloudflare/workers-types` package. They are structural subsets of the real ones: the
// real `DurableObjectNamespace` from a Worker's `env` satisfies `DurableObjectNamespace` below.

/** The WebSocket object of Workers: the DOM WebSocket plus `accept()` and the hibernation attachment. */
export interface WorkersWebSocket {
  accept(): void;
  send(message: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (event: { code: number; reason: string }) => void): void;
  addEventListener(type: 'error', listener: (event: unknown) => void): void;
  readonly readyState: number;
}

export interface DurableObjectId {
  toString(): string;
}

export interface DurableObjectStub {
  fetch(input: string, init?: RequestInit): Promise<Response>;
}

/** A `[[durable_objects.bindings]]` entry as the Worker sees it in `env`. */
export interface DurableObjectNamespace {
  idFromName(name: string): DurableObjectId;
  get(id: DurableObjectId): DurableObjectStub;
}

export interface SqlCursor {
  toArray(): Record<string, string | number | null | ArrayBuffer>[];
}

export interface DurableObjectStorage {
  /** Present on SQLite-backed classes (`new_sqlite_classes` in the migration). */
  sql?: { exec(query: string, ...bindings: unknown[]): SqlCursor };
  getAlarm(): Promise<number | null>;
  setAlarm(scheduledTime: number): Promise<void>;
}

export interface DurableObjectState {
  readonly storage: DurableObjectStorage;
  /** Hibernation API: the runtime holds the socket, the object may leave memory between messages. */
  acceptWebSocket(ws: WorkersWebSocket, tags?: string[]): void;
  getWebSockets(tag?: string): WorkersWebSocket[];
  blockConcurrencyWhile<T>(callback: () => Promise<T>): Promise<T>;
}

/** `new WebSocketPair()`, a Workers global. */
export interface WebSocketPairConstructor {
  new (): { 0: WorkersWebSocket; 1: WorkersWebSocket };
}

/** Responses from `stub.fetch` that upgraded to a WebSocket carry it here. */
export type UpgradeResponse = Response & { webSocket?: WorkersWebSocket | null };

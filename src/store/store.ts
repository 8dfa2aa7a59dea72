// What must outlive one request goes through these two interfaces, never through process state
// that a load balancer cannot see. Imports nothing from the server or HTTP layers.

/** Change events fanned out to `subscriptions/listen` streams on every instance. */
export type ServerEvent =
  | { type: 'tools/list_changed' }
  | { type: 'prompts/list_changed' }
  | { type: 'resources/list_changed' }
  | { type: 'resources/updated'; uri: string };

export interface Store {
  /**
   * Records `key` until `expiresAt` (ms since the epoch) unless it is already recorded.
   * Resolves true for the one caller that recorded it: the primitive behind single-use tokens.
   */
  claim(key: string, expiresAt: number): Promise<boolean>;
}

export interface Bus {
  publish(event: ServerEvent): Promise<void>;
  /** Returns the function that ends the subscription. Events reach each listener in publish order. */
  subscribe(listener: (event: ServerEvent) => void): () => void;
}

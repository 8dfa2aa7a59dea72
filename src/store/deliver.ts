// Delivery rules every Bus engine shares: a listener runs inside the engine's own message handler
// (a socket's, a Redis reply parser's), so neither it nor the onError hook may throw out of it.
import type { ServerEvent } from './store.ts';

/**
 * A change event off the wire, or undefined. Only the shape is checked: during a rolling deploy a
 * newer instance may publish kinds of event this one does not know, and listeners ignore kinds
 * they did not ask for.
 */
export function parseEvent(message: string): ServerEvent | undefined {
  try {
    const event = JSON.parse(message) as unknown;
    return typeof event === 'object' && event !== null && typeof (event as { type?: unknown }).type === 'string' ? (event as ServerEvent) : undefined;
  } catch {
    return undefined;
  }
}

/** Sends `error` to `onError`; a hook that throws is ignored rather than breaking delivery. */
export function reportSafely(error: unknown, onError: (error: Error) => void): void {
  try {
    onError(error instanceof Error ? error : new Error(String(error)));
  } catch {
    // A failing onError hook must not break message delivery.
  }
}

/** Runs one listener; what it throws goes to `onError`, and the other listeners still run. */
export function deliverSafely(run: () => void, onError: (error: Error) => void): void {
  try {
    run();
  } catch (error) {
    reportSafely(error, onError);
  }
}

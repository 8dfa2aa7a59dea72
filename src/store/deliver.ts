// Delivery rules every Bus engine shares: a listener runs inside the engine's own message handler
// (a socket's, a Redis reply parser's), so neither it nor the onError hook may throw out of it.

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

// `streamTool`: a tools/call as an async iterable of its partial results, then its result. The
// response is read no further ahead than one piece, so a slow loop slows the server instead of
// filling memory; leaving the loop early aborts the call, which closes its stream (cancellation).
import type { CallToolResult } from '../protocol/types.ts';
import type { OnPartial, PartialResult, ToolStreamEvent } from './partial-results.ts';

/** Runs the call `start` begins (under a signal that leaving the loop aborts) and yields its events in order. */
export async function* streamToolEvents(callerSignal: AbortSignal | undefined, start: (signal: AbortSignal, onPartial: OnPartial) => Promise<CallToolResult>): AsyncGenerator<ToolStreamEvent, void, undefined> {
  const stop = new AbortController();
  const signal = callerSignal ? AbortSignal.any([callerSignal, stop.signal]) : stop.signal;
  // One piece waits here while the loop body runs; the reader holds the next until it is taken.
  let offered: { piece: PartialResult; taken(): void } | undefined;
  let wake: (() => void) | undefined;
  let outcome: { result: CallToolResult } | { error: unknown } | undefined;
  const onPartial = (piece: PartialResult) =>
    new Promise<void>((taken) => {
      offered = { piece, taken };
      wake?.();
    });
  const call = start(signal, onPartial).then(
    (result) => void (outcome = { result }),
    (error: unknown) => void (outcome = { error }),
  );
  void call.then(() => wake?.());
  try {
    for (;;) {
      if (offered) {
        const { piece, taken } = offered;
        offered = undefined;
        taken();
        yield { type: 'partial', ...piece };
      } else if (outcome) {
        if ('error' in outcome) throw outcome.error;
        yield { type: 'result', result: outcome.result };
        return;
      } else {
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    }
  } finally {
    // Left early (break, throw, return): close the stream, which a server takes as cancellation.
    stop.abort();
    offered?.taken();
    await call;
  }
}

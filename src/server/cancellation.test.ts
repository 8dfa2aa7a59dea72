import { describe, expect, it } from 'vitest';
import { Cancellation } from './cancellation.ts';

/** A request whose signal getter counts reads: transports may build the signal on first read. */
function request() {
  const controller = new AbortController();
  let reads = 0;
  return {
    controller,
    get reads() {
      return reads;
    },
    env: {
      get signal() {
        reads++;
        return controller.signal;
      },
    },
  };
}

describe('Cancellation', () => {
  it('reads the request signal only when the handler first reads its own', () => {
    const req = request();
    const cancellation = new Cancellation(req.env);
    cancellation.unlink();
    expect(req.reads).toBe(0);
    const linked = new Cancellation(req.env);
    expect(linked.signal.aborted).toBe(false);
    expect(linked.signal).toBe(linked.signal);
    expect(req.reads).toBe(1);
  });

  it('aborts with the request, whether it was looked at before or after', () => {
    const early = request();
    const watched = new Cancellation(early.env);
    const signal = watched.signal;
    early.controller.abort(new Error('client left'));
    expect(signal.aborted).toBe(true);
    expect((signal.reason as Error).message).toBe('client left');

    const late = request();
    const unwatched = new Cancellation(late.env);
    late.controller.abort(new Error('gone'));
    expect((unwatched.signal.reason as Error).message).toBe('gone');
  });

  it('stops following the request once unlinked', () => {
    const req = request();
    const cancellation = new Cancellation(req.env);
    const signal = cancellation.signal;
    cancellation.unlink();
    req.controller.abort(new Error('client left'));
    expect(signal.aborted).toBe(false);
    // A signal first read after the request let go (a task's handler, once the client left) is not aborted either.
    const late = new Cancellation(req.env);
    late.unlink();
    expect(late.signal.aborted).toBe(false);
  });

  it('follows a task after the request let go, for signals made before and after', () => {
    const req = request();
    const before = new Cancellation(req.env);
    const seen = before.signal;
    before.unlink();
    const task = new AbortController();
    before.follow(task.signal);
    const after = new Cancellation(req.env);
    after.unlink();
    after.follow(task.signal);
    task.abort(new Error('tasks/cancel'));
    expect((seen.reason as Error).message).toBe('tasks/cancel');
    expect((after.signal.reason as Error).message).toBe('tasks/cancel');
  });

  it('aborts on demand even when nobody has looked yet', () => {
    const cancellation = new Cancellation(request().env);
    cancellation.abort('ended');
    expect(cancellation.signal.reason).toBe('ended');
  });
});

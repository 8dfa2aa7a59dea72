// The one owner of a handler's cancellation in the core: `ctx.signal` derives from the request's
// plain `env.signal` here and nowhere else. It is made on first read, because most handlers never
// look and linking costs (AbortSignal.any links too, at several times the cost); env.signal is read
// only then as well, since a transport may build it lazily too.
import type { RequestEnv } from './outbox.ts';

export class Cancellation {
  /** Whose signal cancels the handler: the request's until the call is cut loose from it. */
  #request: Pick<RequestEnv, 'signal'> | undefined;
  /** The request signal this listens on, to stop listening once cut loose. */
  #listening: AbortSignal | undefined;
  /** A task the call became: its cancellation (tasks/cancel) cancels the handler from then on. */
  #task: AbortSignal | undefined;
  #controller: AbortController | undefined;

  constructor(request: Pick<RequestEnv, 'signal'>) {
    this.#request = request;
  }

  get signal(): AbortSignal {
    return (this.#controller ?? this.#link()).signal;
  }

  /** Also when nobody has looked yet: a later look still finds the signal aborted. */
  abort(reason: unknown): void {
    (this.#controller ?? this.#link()).abort(reason);
  }

  /** The request no longer cancels the handler: it ended, or the work now outlives it. */
  unlink(): void {
    this.#listening?.removeEventListener('abort', this);
    this.#listening = undefined;
    this.#request = undefined;
  }

  /** From now on `task` cancels the handler. */
  follow(task: AbortSignal): void {
    this.#task = task;
    if (this.#controller) this.#listen(this.#controller, task);
  }

  /** EventListener: one of the signals followed aborted. An object listener, so linking makes no closure. */
  handleEvent(event: Event): void {
    const source = event.target;
    if (source instanceof AbortSignal) this.#controller?.abort(source.reason);
  }

  #link(): AbortController {
    const controller = (this.#controller = new AbortController());
    const request = this.#request?.signal;
    if (request && this.#listen(controller, request)) this.#listening = request;
    if (this.#task) this.#listen(controller, this.#task);
    return controller;
  }

  /** True when it now listens; false when `source` had already aborted (and so has the controller). */
  #listen(controller: AbortController, source: AbortSignal): boolean {
    if (source.aborted) {
      controller.abort(source.reason);
      return false;
    }
    source.addEventListener('abort', this);
    return true;
  }
}

// Requests whose signal aborts at a platform deadline (Lambda's, set by its entry). A call on one
// must still answer with its timeout error when the handler ignores the signal; any other call
// skips that race, since a request aborted by its client has nobody left to answer.
const deadlined = new WeakSet<Request>();

/** Marks `request` as ending at a deadline through its signal (abort with a `TimeoutError`). */
export function endsAtDeadline(request: Request): Request {
  deadlined.add(request);
  return request;
}

export function hasDeadline(request: Request): boolean {
  return deadlined.has(request);
}

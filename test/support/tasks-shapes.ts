// The tasks extension's wire shapes (ext-tasks specification/draft/tasks.md), checked by hand: the
// core JSON Schemas do not cover extensions, and the extension's schema is not among our sources.
const STATUSES = new Set(['working', 'input_required', 'completed', 'cancelled', 'failed']);
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export const TASK_METHODS: ReadonlySet<string> = new Set(['tasks/get', 'tasks/update', 'tasks/cancel']);

function task(value: Record<string, unknown>, at: string, detailed: boolean): string[] {
  const errors: string[] = [];
  const need = (ok: boolean, what: string) => ok || errors.push(`${at}: ${what}`);
  need(typeof value.taskId === 'string' && value.taskId !== '', 'taskId must be a non-empty string');
  need(STATUSES.has(String(value.status)), `status ${JSON.stringify(value.status)} is not a task status`);
  need(typeof value.createdAt === 'string' && ISO.test(value.createdAt), 'createdAt must be an ISO 8601 timestamp');
  need(typeof value.lastUpdatedAt === 'string' && ISO.test(value.lastUpdatedAt), 'lastUpdatedAt must be an ISO 8601 timestamp');
  need(value.ttlMs === null || Number.isInteger(value.ttlMs), 'ttlMs must be an integer or null');
  need(value.pollIntervalMs === undefined || Number.isInteger(value.pollIntervalMs), 'pollIntervalMs must be an integer');
  need(value.statusMessage === undefined || typeof value.statusMessage === 'string', 'statusMessage must be a string');
  need(!('ttl' in value) && !('pollInterval' in value), 'legacy ttl/pollInterval keys must be absent');
  if (!detailed) {
    need(!('result' in value) && !('error' in value) && !('inputRequests' in value), 'CreateTaskResult must not carry result, error or inputRequests');
    return errors;
  }
  if (value.status === 'input_required') need(isObject(value.inputRequests) && Object.keys(value.inputRequests).length > 0, 'an input_required task needs inputRequests');
  if (value.status === 'completed') need(isObject(value.result), 'a completed task needs result');
  if (value.status === 'failed') need(isObject(value.error) && Number.isInteger(value.error.code) && typeof value.error.message === 'string', 'a failed task needs a JSON-RPC error');
  return errors;
}

/** Errors in a tasks-extension result, or undefined when the message is no such result. */
export function checkTaskResult(method: string, result: Record<string, unknown>): string[] | undefined {
  if (method === 'tools/call' && result.resultType === 'task') return task(result, 'CreateTaskResult', false);
  if (!TASK_METHODS.has(method)) return undefined;
  const errors = result.resultType === 'complete' ? [] : [`${method}: resultType must be "complete"`];
  if (method === 'tasks/get') errors.push(...task(result, 'GetTaskResult', true));
  return errors;
}

export function checkTaskNotification(params: unknown): string[] {
  return isObject(params) ? task(params, 'notifications/tasks', true) : ['notifications/tasks: params must be an object'];
}

// The tasks extension's wire shapes (ext-tasks specification, 2026-07-28 tasks.md). The core JSON
// Schemas do not define the task envelope, so it is parsed with the extension's own generated
// schemas (`@modelcontextprotocol/ext-tasks/core/v2`, what the official tasks client parses with);
// what a task carries (a CallToolResult, InputRequests, a JSON-RPC Error) is handed back as core
// definitions for the schema oracle to check. The few rules neither schema can state are checked
// by hand below.
import {
  CancelTaskResultV2Schema,
  CreateTaskResultV2Schema,
  GetTaskResultV2Schema,
  TaskStatusNotificationParamsV2Schema,
  UpdateTaskResultV2Schema,
} from '@modelcontextprotocol/ext-tasks/core/v2';

/** A core definition to check a value against, and where the value sits in the message. */
export type CoreCheck = [def: string, value: unknown, at: string];

export interface TaskPlan {
  errors: string[];
  checks: CoreCheck[];
}

interface ExtensionSchema {
  safeParse(value: unknown): { success: true } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function parse(name: string, schema: ExtensionSchema, value: unknown, at: string): string[] {
  const parsed = schema.safeParse(value);
  if (parsed.success) return [];
  return [...new Set(parsed.error.issues.map((issue) => `${name}: ${at}${issue.path.map((part) => `/${String(part)}`).join('')} ${issue.message}`))];
}

/** Rules of the extension's prose that its schema leaves open. */
function prose(task: Record<string, unknown>, name: string, at: string, detailed: boolean): string[] {
  const errors: string[] = [];
  const need = (ok: boolean, what: string) => ok || errors.push(`${name}: ${at} ${what}`);
  need(typeof task.taskId === 'string' && task.taskId !== '', 'taskId must be a non-empty string');
  need(typeof task.createdAt === 'string' && ISO.test(task.createdAt), 'createdAt must be an ISO 8601 timestamp');
  need(typeof task.lastUpdatedAt === 'string' && ISO.test(task.lastUpdatedAt), 'lastUpdatedAt must be an ISO 8601 timestamp');
  need(!('ttl' in task) && !('pollInterval' in task), 'legacy ttl/pollInterval keys must be absent');
  if (!detailed) {
    need(!('result' in task) && !('error' in task) && !('inputRequests' in task), 'CreateTaskResult must not carry result, error or inputRequests');
    return errors;
  }
  if (task.status === 'input_required') need(isObject(task.inputRequests) && Object.keys(task.inputRequests).length > 0, 'an input_required task needs inputRequests');
  // The task's result is the final answer of its tools/call: complete, never another round.
  if (task.status === 'completed') need(isObject(task.result) && task.result.resultType === 'complete', 'a completed task\'s result needs resultType "complete"');
  return errors;
}

/** What a DetailedTask carries, as core definitions. */
function carried(task: Record<string, unknown>, at: string): CoreCheck[] {
  if (task.status === 'input_required' && task.inputRequests !== undefined) return [['InputRequests', task.inputRequests, `${at}/inputRequests`]];
  if (task.status === 'completed' && task.result !== undefined) return [['CallToolResult', task.result, `${at}/result`]];
  if (task.status === 'failed' && task.error !== undefined) return [['Error', task.error, `${at}/error`]];
  return [];
}

function detailed(name: string, schema: ExtensionSchema, task: unknown, at: string): TaskPlan {
  const errors = parse(name, schema, task, at);
  if (!isObject(task)) return { errors, checks: [] };
  return { errors: [...errors, ...prose(task, name, at, true)], checks: carried(task, at) };
}

/** How to check a tasks-extension result, or undefined when the message is no such result. */
export function planTaskResult(method: string, result: Record<string, unknown>): TaskPlan | undefined {
  if (method === 'tools/call' && result.resultType === 'task') {
    return { errors: [...parse('CreateTaskResult', CreateTaskResultV2Schema, result, '/result'), ...prose(result, 'CreateTaskResult', '/result', false)], checks: [['Result', result, '/result']] };
  }
  if (method === 'tasks/get') {
    const plan = detailed('GetTaskResult', GetTaskResultV2Schema, result, '/result');
    return { errors: plan.errors, checks: [['Result', result, '/result'], ...plan.checks] };
  }
  if (method === 'tasks/update') return { errors: parse('UpdateTaskResult', UpdateTaskResultV2Schema, result, '/result'), checks: [['Result', result, '/result']] };
  if (method === 'tasks/cancel') return { errors: parse('CancelTaskResult', CancelTaskResultV2Schema, result, '/result'), checks: [['Result', result, '/result']] };
  return undefined;
}

/** How to check the params of a `notifications/tasks` message. */
export function planTaskNotification(params: unknown): TaskPlan {
  return detailed('TaskStatusNotification', TaskStatusNotificationParamsV2Schema, params, '/params');
}

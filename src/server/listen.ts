// `subscriptions/listen` (2026-07-28 `basic/patterns/subscriptions.mdx`): acknowledge the honoured
// subset first, then forward matching bus events, each tagged with the subscription id.
import { ErrorCode, McpError, isJsonObject } from '../protocol/jsonrpc.ts';
import type { JsonObject, JsonRpcId, JsonRpcNotification } from '../protocol/jsonrpc.ts';
import { MetaKey } from '../protocol/revisions.ts';
import type { Bus, ServerEvent } from '../store/store.ts';
import { offersTasks } from './catalog.ts';
import { metaOf } from './params.ts';
import type { RequestEnv } from './outbox.ts';
import { declaresTasks, missingTasksCapability } from './tasks.ts';

interface Honoured {
  toolsListChanged?: true;
  promptsListChanged?: true;
  resourcesListChanged?: true;
  resourceSubscriptions?: string[];
  taskIds?: string[];
}

function honour(requested: JsonObject, capabilities: JsonObject): Honoured {
  const has = (area: string, flag: string) => isJsonObject(capabilities[area]) && (capabilities[area] as JsonObject)[flag] === true;
  const honoured: Honoured = {};
  if (requested.toolsListChanged === true && has('tools', 'listChanged')) honoured.toolsListChanged = true;
  if (requested.promptsListChanged === true && has('prompts', 'listChanged')) honoured.promptsListChanged = true;
  if (requested.resourcesListChanged === true && has('resources', 'listChanged')) honoured.resourcesListChanged = true;
  const uris = requested.resourceSubscriptions;
  if (Array.isArray(uris) && has('resources', 'subscribe')) {
    honoured.resourceSubscriptions = uris.filter((uri): uri is string => typeof uri === 'string');
  }
  return honoured;
}

function wants(honoured: Honoured, event: ServerEvent, subject: string | undefined): boolean {
  switch (event.type) {
    case 'tasks/status':
      // A task id is a name, not a capability: only its owner hears about it.
      return event.owner === subject && honoured.taskIds?.includes(String(event.task.taskId)) === true;
    case 'tools/list_changed':
      return honoured.toolsListChanged === true;
    case 'prompts/list_changed':
      return honoured.promptsListChanged === true;
    case 'resources/list_changed':
      return honoured.resourcesListChanged === true;
    case 'resources/updated':
      return honoured.resourceSubscriptions?.includes(event.uri) === true;
  }
}

function notificationFor(event: ServerEvent, tag: JsonObject): JsonRpcNotification {
  switch (event.type) {
    case 'tasks/status':
      return { jsonrpc: '2.0', method: 'notifications/tasks', params: { ...event.task, _meta: tag } };
    case 'resources/updated':
      return { jsonrpc: '2.0', method: 'notifications/resources/updated', params: { _meta: tag, uri: event.uri } };
    default:
      return { jsonrpc: '2.0', method: `notifications/${event.type}`, params: { _meta: tag } };
  }
}

/** Holds the stream open until the client closes it (or the host ends it), then answers the listen result. */
export async function listen(id: JsonRpcId, params: JsonObject, env: RequestEnv, bus: Bus, capabilities: JsonObject): Promise<JsonObject> {
  if (!isJsonObject(params.notifications)) {
    throw new McpError(ErrorCode.InvalidParams, 'subscriptions/listen needs params.notifications, e.g. {"toolsListChanged": true}.');
  }
  const honoured = honour(params.notifications, capabilities);
  const taskIds = params.notifications.taskIds;
  if (Array.isArray(taskIds)) {
    if (!declaresTasks(metaOf(params)[MetaKey.clientCapabilities])) throw missingTasksCapability('Listening for task notifications');
    if (offersTasks(capabilities)) {
      honoured.taskIds = taskIds.filter((id): id is string => typeof id === 'string');
    }
  }
  const tag = { [MetaKey.subscriptionId]: id };
  env.outbox.send({ jsonrpc: '2.0', method: 'notifications/subscriptions/acknowledged', params: { _meta: tag, notifications: honoured } });
  // Events queue here and are written by this request's own loop: workerd refuses I/O done on
  // behalf of another request, and the publisher is usually another request.
  const queue: ServerEvent[] = [];
  let wake: () => void = () => undefined;
  const unsubscribe = bus.subscribe((event) => {
    if (!wants(honoured, event, env.principal?.subject)) return;
    queue.push(event);
    wake();
  });
  const closed = new Promise<void>((resolve) => {
    if (env.signal.aborted) resolve();
    else env.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  try {
    while (!env.signal.aborted) {
      for (const event of queue.splice(0)) {
        env.outbox.send(notificationFor(event, tag));
      }
      await Promise.race([new Promise<void>((resolve) => (wake = resolve)), closed]);
    }
  } finally {
    unsubscribe();
  }
  return { _meta: tag };
}

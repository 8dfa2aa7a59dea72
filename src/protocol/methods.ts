// Which body field the `Mcp-Name` header mirrors, per method. Leaf module: imports nothing.

/**
 * SEP-2243: methods whose `Mcp-Name` header is required, and the params field it mirrors; the
 * tasks extension adds its three methods, named by `taskId` so load balancers can route on it.
 */
export const NAME_FIELD: Readonly<Record<string, 'name' | 'uri' | 'taskId'>> = Object.freeze(
  // No prototype: a method named `constructor` or `__proto__` must find nothing here.
  Object.assign(Object.create(null) as Record<string, 'name' | 'uri' | 'taskId'>, {
    'tools/call': 'name',
    'prompts/get': 'name',
    'resources/read': 'uri',
    'tasks/get': 'taskId',
    'tasks/update': 'taskId',
    'tasks/cancel': 'taskId',
  }),
);

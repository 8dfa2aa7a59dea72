// The JSON-RPC the two ceiling servers answer: echo and a fixed tools/list, nothing validated.
import { ECHO_DESCRIPTION, SLOW_DESCRIPTION } from './shared.ts';

export interface RpcMessage {
  id?: unknown;
  method?: string;
  params?: { name?: string; arguments?: { text?: unknown }; _meta?: { progressToken?: unknown } };
}

const tools = [
  { name: 'echo', description: ECHO_DESCRIPTION, inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] } },
  { name: 'slow_stream', description: SLOW_DESCRIPTION, inputSchema: { type: 'object', properties: {} } },
];
const toolsJson = JSON.stringify({ tools });

/** tools/list, serialised once: the list never changes. */
export const TOOLS_LIST = (id: unknown) => `{"jsonrpc":"2.0","id":${JSON.stringify(id ?? null)},"result":${toolsJson}}`;

export function answer(message: RpcMessage): unknown {
  if (message.method === 'tools/call' && message.params?.name === 'echo') {
    return { jsonrpc: '2.0', id: message.id, result: { content: [{ type: 'text', text: String(message.params.arguments?.text) }] } };
  }
  return { jsonrpc: '2.0', id: message.id ?? null, error: { code: -32601, message: 'Method not found' } };
}

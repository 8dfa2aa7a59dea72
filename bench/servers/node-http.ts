// Ceiling 1: a hand-written node:http JSON-RPC server answering the same two tools with no MCP
// library and no checks. What Node's HTTP stack can do; nothing MCP-shaped can beat it.
import { createServer } from 'node:http';
import { INTERVAL_MS, STEPS, ready, portFromEnv, sleep, stampedMessage, exitOnSignal } from './shared.ts';
import { TOOLS_LIST, answer } from './ceiling-rpc.ts';

const port = portFromEnv();
exitOnSignal();

createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/mcp') {
    res.writeHead(404).end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    let message: { id?: unknown; method?: string; params?: { name?: string; arguments?: { text?: unknown }; _meta?: { progressToken?: unknown } } };
    try {
      message = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}');
      return;
    }
    if (message.method === 'tools/call' && message.params?.name === 'slow_stream') {
      // SSE by hand: the floor for how fast a notification can reach the client.
      const token = message.params._meta?.progressToken;
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      void (async () => {
        for (let step = 1; step <= STEPS; step++) {
          await sleep(INTERVAL_MS);
          const params = { progressToken: token, progress: step, total: STEPS, message: stampedMessage(step) };
          res.write(`event: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/progress', params })}\n\n`);
        }
        res.end(`event: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', id: message.id, result: { content: [{ type: 'text', text: 'done' }] } })}\n\n`);
      })();
      return;
    }
    const body = message.method === 'tools/list' ? TOOLS_LIST(message.id) : JSON.stringify(answer(message));
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
  });
}).listen(port, '127.0.0.1', () => ready(port));

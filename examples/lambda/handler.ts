// The demo MCP server on AWS Lambda. `handler` streams (Function URL, InvokeMode RESPONSE_STREAM:
// each notification reaches the client as it happens); `bufferedHandler` serves API Gateway
// (REST or HTTP API) and ALB, which deliver the response when the call ends.
import { createDemoApp } from '../../src/demo/app.ts';
import { handle, streamHandle } from '../../src/adapter/lambda.ts';

const app = createDemoApp({
  // "mcp.example.com,…": the Host values to answer. A Function URL's own host is the default domain.
  allowedHosts: process.env.ALLOWED_HOSTS?.split(','),
  // "id:secret,…": every instance must share these to finish each other's MRTR rounds.
  requestStateKeys: process.env.REQUEST_STATE_KEYS,
});

export const handler = streamHandle(app);
export const bufferedHandler = handle(app);

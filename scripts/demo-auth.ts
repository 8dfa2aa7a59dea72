// `npm run demo:auth`: the demo server behind the bearer gate, with a local OAuth 2.1 server
// (oidc-provider) that issues JWT access tokens for it. For trying auth, not for production.
import { createBearerAuth, jwtVerifier } from '../src/auth/index.ts';
import { createDemoApp } from '../src/demo/app.ts';
import { serve } from '../src/adapter/node.ts';
import { listening } from '../src/demo/launch.ts';
import { DEMO_CLIENT, startOAuthServer } from '../test/fixtures/oauth-server.ts';

const port = Number(process.env.PORT ?? 3000);
const as = await startOAuthServer({ port: Number(process.env.AS_PORT ?? port + 1), scopes: ['mcp'] });
const resource = `http://127.0.0.1:${port}/mcp`;

const app = createDemoApp({
  auth: createBearerAuth({
    verify: jwtVerifier({ jwksUrl: as.jwksUrl, issuer: as.issuer }),
    authorizationServers: [as.issuer],
    scopesSupported: ['mcp'],
    requiredScopes: ['mcp'],
  }),
});
await serve(app, { port, onListen: listening });
console.log(`OAuth authorization server on ${as.issuer} (MCP clients discover it from the 401 challenge)`);
console.log(`Get a token for curl:\n  curl -s -u ${DEMO_CLIENT.id}:${DEMO_CLIENT.secret} -d grant_type=client_credentials -d scope=mcp -d resource=${resource} ${as.issuer}/token`);

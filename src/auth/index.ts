// `stateless-mcp/auth`: an OAuth 2.1 resource server gate for every runtime (WebCrypto via jose).
export { apiKeyVerifier } from './api-key.ts';
export { createBearerAuth } from './bearer.ts';
export type { BearerAuth, BearerAuthOptions } from './bearer.ts';
export { formatChallenge } from './challenge.ts';
export { introspectionVerifier } from './introspection.ts';
export type { IntrospectionOptions } from './introspection.ts';
export { jwtVerifier } from './jwt.ts';
export type { JwtVerifierOptions } from './jwt.ts';
export { metadataUrlFor, resourceUriFor } from './resource-uri.ts';
export type { ResourceUriOptions } from './resource-uri.ts';
export type { TokenVerdict, TokenVerifier, VerifyContext } from './verifier.ts';

// The OAuth 2.1 client flow (MCP specification, basic/authorization) behind `createClient(url, { oauth })`: a fetch wrapper that
// adds the bearer token and, on 401 or 403 insufficient_scope, discovers PRM and AS metadata,
// registers (CIMD, else DCR), runs PKCE S256 with RFC 8707 `resource`, checks RFC 9207 `iss`,
// exchanges the code and retries the request once. Tokens never appear in errors or logs.
import { isJsonObject } from '../protocol/jsonrpc.ts';
import { McpClientError } from './errors.ts';
import type { FetchLike } from './http-exchange.ts';
import {
  authorizationServerMetadataUrls,
  createPkce,
  parseWwwAuthenticate,
  protectedResourceMetadataUrls,
  randomToken,
  resourceIdentifier,
  resourceMatches,
  unionScopes,
} from './oauth-discovery.ts';
import type { BearerChallenge } from './oauth-discovery.ts';
import { memoryStorage } from './oauth-types.ts';
import type { OAuthClientInformation, OAuthProvider, OAuthStorage, OAuthTokens } from './oauth-types.ts';

type Json = Record<string, unknown>;

const jsonObjectOrUndefined = (value: unknown): Json | undefined => (isJsonObject(value) ? value : undefined);

interface AuthServer {
  issuer: string;
  metadata: Json;
}

function oauthError(message: string, status?: number): McpClientError {
  return new McpClientError('OAUTH_ERROR', message, status === undefined ? {} : { status });
}

async function getJson(fetch: FetchLike, url: URL): Promise<Json | undefined> {
  // Safe to drop: an unreachable candidate counts as absent, like a 404; the caller tries the next
  // well-known location and, when none answers, fails with "no metadata found".
  const response = await fetch(url, { headers: { accept: 'application/json' } }).catch(() => undefined);
  if (!response?.ok) {
    await response?.body?.cancel().catch(() => undefined); // only releases the connection; the body is unwanted
    return undefined;
  }
  const body: unknown = await response.json().catch(() => undefined); // not JSON: absent metadata, as above
  return isJsonObject(body) ? body : undefined;
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

export class OAuthSession {
  readonly #server: URL;
  readonly #fetch: FetchLike;
  readonly #provider: OAuthProvider;
  readonly #storage: OAuthStorage;
  /** The issuer whose tokens the next request carries; learnt from PRM. */
  #issuer: string | undefined;
  #requestedScope: string | undefined;
  /** RFC 8707 `resource`: exactly as PRM publishes it (no URL re-serialisation), else the endpoint URL. */
  #resource: string;
  #pending: Promise<void> | undefined;
  #refreshing: Promise<OAuthTokens> | undefined;

  constructor(server: URL, fetch: FetchLike, provider: OAuthProvider) {
    this.#server = server;
    this.#fetch = fetch;
    this.#provider = provider;
    this.#storage = provider.storage ?? memoryStorage();
    this.#resource = resourceIdentifier(server);
  }

  /** The wrapped fetch: only requests to the MCP endpoint's origin get a token and re-authorization. */
  readonly fetch: FetchLike = async (input, init) => {
    const target = new URL(input instanceof Request ? input.url : input);
    if (target.origin !== this.#server.origin) return this.#fetch(input, init);
    const response = await this.#send(input, init);
    const challenge = parseWwwAuthenticate(response.headers.get('www-authenticate'));
    const stepUp = response.status === 403 && challenge?.error === 'insufficient_scope';
    if (response.status !== 401 && !stepUp) return response;
    await response.body?.cancel().catch(() => undefined); // only releases the connection; the request is sent again
    // Concurrent calls share one authorization instead of each opening a browser.
    this.#pending ??= this.#authorize(challenge ?? {}, stepUp).finally(() => (this.#pending = undefined));
    await this.#pending;
    return this.#send(input, init);
  };

  async #send(input: string | URL | Request, init: RequestInit | undefined): Promise<Response> {
    const headers = new Headers(init?.headers);
    const tokens = await this.#currentTokens();
    if (tokens) headers.set('authorization', `Bearer ${tokens.access_token}`);
    return this.#fetch(input, { ...init, headers });
  }

  async #currentTokens(): Promise<OAuthTokens | undefined> {
    if (this.#issuer === undefined) return undefined;
    const issuer = this.#issuer;
    const tokens = await this.#storage.getTokens(issuer);
    if (!tokens?.expires_at || tokens.expires_at > Date.now() + 5_000 || !tokens.refresh_token) return tokens;
    // Concurrent requests share one refresh: a rotating refresh token works only once.
    this.#refreshing ??= this.#authServer(issuer)
      .then((server) => this.#refresh(server, tokens))
      .catch((cause: unknown) => this.#refreshFailed(issuer, cause))
      .finally(() => (this.#refreshing = undefined));
    return this.#refreshing;
  }

  /** Never sends the expired token: the caller learns that the session needs a new sign-in. */
  async #refreshFailed(issuer: string, cause: unknown): Promise<never> {
    const reason = cause instanceof Error ? cause.message : 'unknown failure';
    // RFC 6749 §5.2: 400/401 is the AS refusing the refresh token (revoked, expired); anything
    // else (unreachable, 5xx) may pass, so the refresh token is kept for the next attempt.
    const refused = cause instanceof McpClientError && (cause.status === 400 || cause.status === 401);
    if (refused) await this.#storage.setTokens(issuer, undefined);
    const next = refused ? 'Sign in again: the next request starts a new authorization.' : 'Retry shortly; if it keeps failing, sign in again (clear the stored tokens).';
    throw new McpClientError('UNAUTHORIZED', `The access token for ${this.#server.href} expired and refreshing it at ${issuer} failed (${reason}); the expired token was not sent. ${next}`, { cause });
  }

  async #authorize(challenge: BearerChallenge, stepUp: boolean): Promise<void> {
    // Re-probe PRM on every challenge: the resource may have moved to another authorization server.
    const prm = await this.#protectedResource(challenge.resourceMetadata);
    this.#resource = typeof prm?.resource === 'string' ? prm.resource : resourceIdentifier(this.#server);
    const issuers = strings(prm?.authorization_servers);
    const issuer = issuers[0] ?? this.#server.origin;
    const server = await this.#authServer(issuer);
    const supported = strings(server.metadata.scopes_supported);
    let scope = challenge.scope ?? (strings(prm?.scopes_supported).join(' ') || undefined);
    if (stepUp) scope = unionScopes(this.#requestedScope, scope);
    // SEP-2207: ask for a refresh token only where the AS says it issues them.
    if (scope && supported.includes('offline_access') && this.#provider.grant !== 'client_credentials') scope = unionScopes(scope, 'offline_access');
    this.#requestedScope = scope;
    this.#issuer = issuer;
    const previous = await this.#storage.getTokens(issuer);
    if (!stepUp && previous?.refresh_token) {
      // Safe to drop: the server refused the token anyway, so a refused refresh falls through to a
      // full authorization (signing in again), whose own failure is what the caller sees.
      const refreshed = await this.#refresh(server, previous).catch(() => undefined);
      if (refreshed) return;
    }
    const client = await this.#client(server);
    const tokens = this.#provider.grant === 'client_credentials'
      ? await this.#token(server, client, { grant_type: 'client_credentials', ...(scope ? { scope } : {}) })
      : await this.#authorizationCode(server, client, scope);
    await this.#storage.setTokens(issuer, tokens);
  }

  async #protectedResource(fromHeader: string | undefined): Promise<Json | undefined> {
    for (const url of protectedResourceMetadataUrls(this.#server, fromHeader)) {
      const prm = await getJson(this.#fetch, url);
      if (!prm) continue;
      if (typeof prm.resource !== 'string' || !resourceMatches(prm.resource, this.#server)) {
        throw oauthError(`The protected resource metadata at ${url.href} names resource ${JSON.stringify(prm.resource)}, not ${resourceIdentifier(this.#server)}; refusing to send credentials for another resource.`);
      }
      return prm;
    }
    // No PRM: 2025-03-26 servers act as their own authorization server.
    return undefined;
  }

  async #authServer(issuer: string): Promise<AuthServer> {
    for (const url of authorizationServerMetadataUrls(issuer)) {
      const metadata = await getJson(this.#fetch, url);
      if (!metadata) continue;
      // RFC 8414 §3.3: a simple string comparison, or the metadata may steer us to an attacker.
      if (metadata.issuer !== issuer) throw oauthError(`Authorization server metadata at ${url.href} has issuer ${JSON.stringify(metadata.issuer)}, expected ${JSON.stringify(issuer)}; refusing to use it.`);
      return { issuer, metadata };
    }
    throw oauthError(`No authorization server metadata found for ${issuer} (tried RFC 8414 and OpenID Connect discovery).`);
  }

  async #client(server: AuthServer): Promise<OAuthClientInformation> {
    const stored = await this.#storage.getClient(server.issuer);
    if (stored) return stored;
    const given = this.#provider.clientInformation;
    const preRegistered = typeof given === 'function' ? given(server.issuer) : given;
    if (preRegistered) return preRegistered;
    const { metadata } = server;
    if (metadata.client_id_metadata_document_supported === true && this.#provider.clientMetadataUrl) {
      return { client_id: this.#provider.clientMetadataUrl, token_endpoint_auth_method: 'none' };
    }
    if (typeof metadata.registration_endpoint !== 'string') {
      throw oauthError(`${server.issuer} supports neither Client ID Metadata Documents nor Dynamic Client Registration; pass oauth.clientInformation with pre-registered credentials.`);
    }
    // SEP-837: application_type is required; loopback redirects mean a native app (OIDC Registration §2).
    const loopback = this.#provider.redirectUrl !== undefined && /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])[:/]/.test(this.#provider.redirectUrl);
    const body = { application_type: loopback ? 'native' : 'web', redirect_uris: this.#provider.redirectUrl ? [this.#provider.redirectUrl] : [], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], ...this.#provider.clientMetadata };
    const response = await this.#fetch(metadata.registration_endpoint, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
    // Not JSON: caught just below as a failed registration, with its HTTP status.
    const registered = jsonObjectOrUndefined(await response.json().catch(() => undefined));
    if (!response.ok || typeof registered?.client_id !== 'string') throw oauthError(`Dynamic Client Registration at ${metadata.registration_endpoint} failed with HTTP ${response.status}${typeof registered?.error === 'string' ? ` (${registered.error})` : ''}.`, response.status);
    const client: OAuthClientInformation = { client_id: registered.client_id };
    if (typeof registered.client_secret === 'string') client.client_secret = registered.client_secret;
    if (typeof registered.token_endpoint_auth_method === 'string') client.token_endpoint_auth_method = registered.token_endpoint_auth_method;
    await this.#storage.setClient(server.issuer, client);
    return client;
  }

  async #authorizationCode(server: AuthServer, client: OAuthClientInformation, scope: string | undefined): Promise<OAuthTokens> {
    const { metadata, issuer } = server;
    const redirectUrl = this.#provider.redirectUrl;
    if (typeof metadata.authorization_endpoint !== 'string' || !redirectUrl || !this.#provider.redirect) {
      throw oauthError(`Authorization at ${issuer} needs a user: pass oauth.redirectUrl and oauth.redirect, or grant: 'client_credentials'.`);
    }
    const pkce = await createPkce();
    const state = randomToken(16);
    const url = new URL(metadata.authorization_endpoint);
    const params: Record<string, string> = { response_type: 'code', client_id: client.client_id, redirect_uri: redirectUrl, code_challenge: pkce.challenge, code_challenge_method: 'S256', state, resource: this.#resource };
    if (scope) params.scope = scope;
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    const answer = await this.#provider.redirect(url);
    if (answer.state !== undefined && answer.state !== state) throw oauthError('The authorization response carries a different state than the request; refusing it (possible CSRF).');
    // RFC 9207: compare a present iss always; require it when the AS advertises it. No normalization.
    if (answer.iss !== undefined && answer.iss !== metadata.issuer) throw oauthError(`The authorization response names issuer ${JSON.stringify(answer.iss)}, not ${JSON.stringify(metadata.issuer)}; refusing it (mix-up attack).`);
    if (answer.iss === undefined && metadata.authorization_response_iss_parameter_supported === true) throw oauthError(`${issuer} promises an iss parameter in authorization responses but sent none; refusing the response.`);
    return this.#token(server, client, { grant_type: 'authorization_code', code: answer.code, redirect_uri: redirectUrl, code_verifier: pkce.verifier });
  }

  async #refresh(server: AuthServer, tokens: OAuthTokens): Promise<OAuthTokens> {
    const client = await this.#client(server);
    const fresh = await this.#token(server, client, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token! });
    // RFC 6749 §6: the AS may keep the old refresh token.
    const merged = { ...fresh, refresh_token: fresh.refresh_token ?? tokens.refresh_token };
    await this.#storage.setTokens(server.issuer, merged);
    return merged;
  }

  async #token(server: AuthServer, client: OAuthClientInformation, grant: Record<string, string>): Promise<OAuthTokens> {
    const { metadata, issuer } = server;
    if (typeof metadata.token_endpoint !== 'string') throw oauthError(`${issuer} publishes no token_endpoint.`);
    const body = new URLSearchParams({ ...grant, resource: this.#resource });
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    const methods = strings(metadata.token_endpoint_auth_methods_supported);
    const method = client.token_endpoint_auth_method ?? (!client.client_secret ? 'none' : methods.length === 0 || methods.includes('client_secret_basic') ? 'client_secret_basic' : 'client_secret_post');
    if (method === 'client_secret_basic' && client.client_secret !== undefined) {
      // RFC 6749 §2.3.1: both parts are form-urlencoded before base64.
      headers.authorization = `Basic ${btoa(`${encodeURIComponent(client.client_id)}:${encodeURIComponent(client.client_secret)}`)}`;
    } else {
      body.set('client_id', client.client_id);
      if (method === 'client_secret_post' && client.client_secret !== undefined) body.set('client_secret', client.client_secret);
    }
    const response = await this.#fetch(metadata.token_endpoint, { method: 'POST', headers, body });
    // Not JSON: caught just below as a failed token request, with its HTTP status.
    const answer = jsonObjectOrUndefined(await response.json().catch(() => undefined));
    if (!response.ok || typeof answer?.access_token !== 'string') {
      const reason = typeof answer?.error === 'string' ? ` (${answer.error}${typeof answer.error_description === 'string' ? `: ${answer.error_description}` : ''})` : '';
      throw oauthError(`The ${grant.grant_type} token request to ${metadata.token_endpoint} failed with HTTP ${response.status}${reason}.`, response.status);
    }
    const tokens: OAuthTokens = { access_token: answer.access_token };
    if (typeof answer.token_type === 'string') tokens.token_type = answer.token_type;
    if (typeof answer.refresh_token === 'string') tokens.refresh_token = answer.refresh_token;
    if (typeof answer.scope === 'string') tokens.scope = answer.scope;
    if (typeof answer.expires_in === 'number') tokens.expires_at = Date.now() + answer.expires_in * 1000;
    return tokens;
  }
}

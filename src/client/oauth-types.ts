// The public shapes of the OAuth client option: what a caller supplies (`OAuthProvider`) and what
// is stored per authorization server issuer (client registrations never cross issuers, SEP-2352).

/** A registered client at one authorization server. */
export interface OAuthClientInformation {
  client_id: string;
  client_secret?: string;
  /** `client_secret_basic`, `client_secret_post` or `none`; chosen from AS metadata when absent. */
  token_endpoint_auth_method?: string;
}

export interface OAuthTokens {
  access_token: string;
  token_type?: string;
  refresh_token?: string;
  scope?: string;
  /** Epoch milliseconds; computed from `expires_in` when the tokens are stored. */
  expires_at?: number;
}

/** Where registrations and tokens live, keyed by issuer. Defaults to memory for the client's lifetime. */
export interface OAuthStorage {
  getClient(issuer: string): OAuthClientInformation | undefined | Promise<OAuthClientInformation | undefined>;
  setClient(issuer: string, client: OAuthClientInformation): void | Promise<void>;
  getTokens(issuer: string): OAuthTokens | undefined | Promise<OAuthTokens | undefined>;
  setTokens(issuer: string, tokens: OAuthTokens | undefined): void | Promise<void>;
}

export interface OAuthProvider {
  /** The redirect URI registered for the authorization code flow. */
  redirectUrl?: string;
  /** Sent to Dynamic Client Registration (RFC 7591); `redirect_uris` defaults to `[redirectUrl]`. */
  clientMetadata?: Record<string, unknown>;
  /** A Client ID Metadata Document URL, used as client_id when the AS supports CIMD (preferred over DCR). */
  clientMetadataUrl?: string;
  /** Pre-registered credentials, per issuer or for every issuer. */
  clientInformation?: OAuthClientInformation | ((issuer: string) => OAuthClientInformation | undefined);
  /** Machine-to-machine: use the client_credentials grant with `clientInformation` instead of a user. */
  grant?: 'authorization_code' | 'client_credentials';
  /**
   * The user-agent step: open `authorizationUrl`, let the user approve, and resolve with the `code`
   * (and `iss`, `state`) from the redirect back to `redirectUrl`.
   */
  redirect?(authorizationUrl: URL): Promise<{ code: string; iss?: string; state?: string }>;
  storage?: OAuthStorage;
}

export function memoryStorage(): OAuthStorage {
  const clients = new Map<string, OAuthClientInformation>();
  const tokens = new Map<string, OAuthTokens>();
  return {
    getClient: (issuer) => clients.get(issuer),
    setClient: (issuer, client) => void clients.set(issuer, client),
    getTokens: (issuer) => tokens.get(issuer),
    setTokens: (issuer, value) => void (value ? tokens.set(issuer, value) : tokens.delete(issuer)),
  };
}

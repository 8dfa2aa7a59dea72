// How a client learns what this server offers: server/discover (2026-07-28) and initialize (the
// 2025 lane), and the 2025 session the initialize result is sealed into.
import { isJsonObject } from '../protocol/jsonrpc.ts';
import type { JsonObject } from '../protocol/jsonrpc.ts';
import { LEGACY_VERSIONS, MODERN_VERSION, isLegacyVersion } from '../protocol/revisions.ts';
import { MAX_SESSION_BYTES, sessionOf } from './client-session.ts';
import type { ClientSession } from './client-session.ts';
import type { MethodDeps } from './deps.ts';
import { invalidParams } from './params.ts';

export function discover(deps: MethodDeps): JsonObject {
  const { ttlMs, cacheScope } = deps.lists.settings;
  const result: JsonObject = { supportedVersions: [MODERN_VERSION], capabilities: deps.catalog.capabilities('modern'), ttlMs, cacheScope };
  if (deps.instructions) result.instructions = deps.instructions;
  return result;
}

export function initialize(deps: MethodDeps, params: JsonObject): JsonObject {
  const { capabilities, clientInfo } = params;
  if (capabilities !== undefined && !isJsonObject(capabilities)) throw invalidParams('params.capabilities must be an object naming what the client supports, e.g. {"elicitation": {}}.');
  if (clientInfo !== undefined && !isJsonObject(clientInfo)) throw invalidParams('params.clientInfo must be an object such as {"name": "my-client", "version": "1.0.0"}.');
  // Both travel in the session id on every later request, so they must stay small.
  let size: number;
  try {
    size = new TextEncoder().encode(JSON.stringify({ capabilities, clientInfo })).length;
  } catch {
    throw invalidParams('params.capabilities or params.clientInfo is nested too deeply; send plain objects.');
  }
  if (size > MAX_SESSION_BYTES) {
    throw invalidParams(`params.capabilities and params.clientInfo take ${size} bytes; the session id that carries them holds at most ${MAX_SESSION_BYTES}. Leave out experimental capabilities and long descriptions.`);
  }
  const requested = typeof params.protocolVersion === 'string' ? params.protocolVersion : '';
  const result: JsonObject = {
    protocolVersion: isLegacyVersion(requested) ? requested : LEGACY_VERSIONS[0],
    capabilities: deps.catalog.capabilities('legacy'),
    serverInfo: deps.info,
  };
  if (deps.instructions) result.instructions = deps.instructions;
  return result;
}

/** What a successful initialize negotiated: the request's declarations at the result's version. */
export function negotiated(params: JsonObject, result: JsonObject): ClientSession {
  const version = typeof result.protocolVersion === 'string' ? result.protocolVersion : LEGACY_VERSIONS[0];
  return sessionOf(version, isJsonObject(params.capabilities) ? params.capabilities : {}, params.clientInfo);
}

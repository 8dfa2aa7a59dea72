// 2026-07-28 request checks: the `_meta` envelope, and the standard headers that mirror the body
// (SEP-2243: MCP-Protocol-Version, Mcp-Method, Mcp-Name, Mcp-Param-*). Header names are
// case-insensitive, values case-sensitive, `=?base64?…?=` values decoded before comparing.
import { ErrorCode, McpError, isJsonObject } from '../protocol/jsonrpc.ts';
import type { JsonRpcRequest } from '../protocol/jsonrpc.ts';
import { NAME_FIELD } from '../protocol/methods.ts';
import { MODERN_VERSION, MetaKey, isLogLevel } from '../protocol/revisions.ts';
import type { McpServer } from '../server/server.ts';

const SENTINEL = /^=\?base64\?(.*)\?=$/;
const VISIBLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * Fetch strips optional whitespace around header values, but workerd keeps it, so strip it here
 * (RFC 9110 §5.5: it is not part of the value).
 */
function header(headers: Headers, name: string): string | null {
  const value = headers.get(name);
  // Most values have none: the regex is for the few that do.
  if (value === null || !(isBlank(value.charCodeAt(0)) || isBlank(value.charCodeAt(value.length - 1)))) return value;
  return value.replace(/^[ \t]+|[ \t]+$/g, '');
}

const isBlank = (code: number) => code === 0x20 || code === 0x09;

function mismatch(message: string): McpError {
  return new McpError(ErrorCode.HeaderMismatch, `Header mismatch: ${message}`);
}

/** Decodes a header value that may use the base64 sentinel; undefined when it cannot be decoded. */
export function decodeHeaderValue(value: string): string | undefined {
  if (!VISIBLE_ASCII.test(value)) return undefined;
  const wrapped = SENTINEL.exec(value);
  if (!wrapped) return value;
  const encoded = wrapped[1]!;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded) || encoded.length % 4 !== 0) return undefined;
  try {
    const binary = atob(encoded);
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    return undefined;
  }
}

/** Required `_meta` fields: missing ones are -32602 at HTTP 400 (basic/index.mdx § _meta). */
export function checkMeta(request: JsonRpcRequest): string {
  const meta = request.params?._meta;
  const fix = 'Every 2026-07-28 request carries params._meta with "io.modelcontextprotocol/protocolVersion" and "io.modelcontextprotocol/clientCapabilities".';
  if (!isJsonObject(meta)) throw new McpError(ErrorCode.InvalidParams, `Missing params._meta. ${fix}`);
  const version = meta[MetaKey.protocolVersion];
  if (typeof version !== 'string') throw new McpError(ErrorCode.InvalidParams, `Missing _meta["${MetaKey.protocolVersion}"]. ${fix}`);
  if (!isJsonObject(meta[MetaKey.clientCapabilities])) {
    throw new McpError(ErrorCode.InvalidParams, `Missing _meta["${MetaKey.clientCapabilities}"] (send {} when the client has none). ${fix}`);
  }
  const level = meta[MetaKey.logLevel];
  if (level !== undefined && !isLogLevel(level)) {
    throw new McpError(ErrorCode.InvalidParams, `_meta["${MetaKey.logLevel}"] must be one of debug, info, notice, warning, error, critical, alert, emergency.`);
  }
  return version;
}

export function unsupportedVersion(requested: string, supported: readonly string[]): McpError {
  return new McpError(
    ErrorCode.UnsupportedProtocolVersion,
    `Unsupported protocol version "${requested}"; this server speaks ${supported.join(', ')}.`,
    { supported, requested },
  );
}

export function checkModernHeaders(request: JsonRpcRequest, headers: Headers, bodyVersion: string, server: McpServer): void {
  const headerVersion = header(headers, 'mcp-protocol-version');
  if (headerVersion === null) throw mismatch(`the MCP-Protocol-Version header is required and must equal _meta["${MetaKey.protocolVersion}"] ("${bodyVersion}").`);
  if (headerVersion !== bodyVersion) throw mismatch(`MCP-Protocol-Version header "${headerVersion}" does not match _meta protocol version "${bodyVersion}".`);
  if (bodyVersion !== MODERN_VERSION) throw unsupportedVersion(bodyVersion, [MODERN_VERSION]);

  const method = header(headers, 'mcp-method');
  if (method === null) throw mismatch(`the Mcp-Method header is required and must equal the body's method ("${request.method}").`);
  if (method !== request.method) throw mismatch(`Mcp-Method header value '${method}' does not match body value '${request.method}'.`);

  const field = NAME_FIELD[request.method];
  if (field === undefined) return;
  const bodyName = request.params?.[field];
  // A name that is not a string is a bad body, whatever the header says.
  if (typeof bodyName !== 'string') {
    throw new McpError(ErrorCode.InvalidParams, `params.${field} must be a string for ${request.method}, and the Mcp-Name header must carry the same value.`);
  }
  const rawName = header(headers, 'mcp-name');
  if (rawName === null) throw mismatch(`the Mcp-Name header is required for ${request.method} and must equal params.${field}.`);
  const name = decodeHeaderValue(rawName);
  if (name === undefined) throw mismatch('the Mcp-Name header has characters that are not allowed; send non-ASCII values as =?base64?…?=.');
  if (name !== bodyName) throw mismatch(`Mcp-Name header value '${name}' does not match body value '${bodyName}'.`);
  if (request.method === 'tools/call') checkParamHeaders(request, headers, bodyName, server);
}

/** Own properties only: a schema property named like something objects inherit must not find it. */
function valueAt(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const key of path) node = isJsonObject(node) && Object.hasOwn(node, key) ? node[key] : undefined;
  return node;
}

/** A body value for an error message: scalars as JSON, containers by kind (they may nest too deep to print). */
function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  return JSON.stringify(value);
}

function sameValue(header: string, body: unknown, type: 'string' | 'integer' | 'boolean'): boolean {
  if (type === 'string') return header === body;
  if (type === 'boolean') return typeof body === 'boolean' && header === (body ? 'true' : 'false');
  // Integers compare numerically (SHOULD), so "007" and 7 agree.
  return /^-?\d+$/.test(header) && Number(header) === body;
}

function checkParamHeaders(request: JsonRpcRequest, headers: Headers, tool: string, server: McpServer): void {
  const params = server.headerParams(tool);
  if (!params || params.size === 0) return;
  const args = request.params?.arguments;
  for (const [name, { path, type }] of params) {
    const body = valueAt(args, path);
    const raw = header(headers, `mcp-param-${name}`);
    const label = `Mcp-Param-${name}`;
    if (body === undefined || body === null) {
      if (raw !== null) throw mismatch(`${label} is set but arguments.${path.join('.')} is absent; omit the header when the value is absent or null.`);
      continue;
    }
    if (raw === null) throw mismatch(`${label} header is required because arguments.${path.join('.')} is set.`);
    const value = decodeHeaderValue(raw);
    if (value === undefined) throw mismatch(`${label} header value cannot be decoded; send non-ASCII values as =?base64?…?= with valid base64.`);
    if (!sameValue(value, body, type)) throw mismatch(`${label} header value '${value}' does not match arguments.${path.join('.')} (${describe(body)}).`);
  }
}

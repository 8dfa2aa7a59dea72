// The official MCP JSON Schemas as a test oracle: tells whether a message the server sent is valid
// for the revision it speaks. Definitions are chosen the way a peer would read the message: a
// response by the method of the request it answers, a notification or request by its method.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { planTaskNotification, planTaskResult } from './tasks-shapes.ts';
import type { CoreCheck } from './tasks-shapes.ts';
import { PARTIAL_RESULT_METHOD, checkPartialResultNotification } from './partial-result-shapes.ts';

// ajv-formats is CommonJS; under NodeNext its default import is the module, whose `default` is the plugin.
const addFormats = addFormatsModule.default;

export const SCHEMA_VERSIONS = ['2025-03-26', '2025-06-18', '2025-11-25', '2026-07-28'] as const;
export type SchemaVersion = (typeof SCHEMA_VERSIONS)[number];
export const MODERN_SCHEMA: SchemaVersion = '2026-07-28';

export function isSchemaVersion(value: unknown): value is SchemaVersion {
  return (SCHEMA_VERSIONS as readonly unknown[]).includes(value);
}

export function schemaDir(): string {
  return process.env.MCP_SCHEMA_DIR ?? resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/mcp-schema');
}

// Methods whose 2026 result may be `input_required` (MRTR: the 2026-07-28 specification, basic/patterns).
const INPUT_REQUIRED_METHODS = new Set(['tools/call', 'prompts/get', 'resources/read']);
const CORE_RESULT_TYPES = new Set(['complete', 'input_required']);

interface VersionOracle {
  version: SchemaVersion;
  ajv: Ajv2020;
  id: string;
  /** `definitions` (draft-07 files, 2025-03-26/06-18) or `$defs` (2020-12 files). */
  defsKey: string;
  defs: Record<string, Record<string, unknown>>;
  /** Client request method → the def of its result. */
  resultDefs: Map<string, string>;
  /** Server notification / server request method → its def. */
  serverNotifications: Map<string, string>;
  serverRequests: Map<string, string>;
  /** 2026 error code → the JSON-RPC error response def that pins that code. */
  errorDefs: Map<number, string>;
}

const oracles = new Map<SchemaVersion, VersionOracle>();

function unionMembers(defs: VersionOracle['defs'], name: string): string[] {
  const union = defs[name]?.anyOf as { $ref: string }[] | undefined;
  return (union ?? []).map((member) => member.$ref.split('/').pop()!);
}

function methodOf(def: Record<string, unknown> | undefined): string | undefined {
  const method = (def?.properties as Record<string, { const?: unknown }> | undefined)?.method?.const;
  return typeof method === 'string' ? method : undefined;
}

/** Reads `<dir>/<version>/schema.json`, failing with the path and how to point elsewhere. */
export function loadSchemaFile(version: SchemaVersion, dir = schemaDir()): Record<string, unknown> {
  const path = join(dir, version, 'schema.json');
  if (!existsSync(path)) {
    throw new Error(`MCP schema for ${version} not found at ${path}. Set MCP_SCHEMA_DIR to the directory holding <version>/schema.json (default: test/fixtures/mcp-schema in this repository).`);
  }
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

function load(version: SchemaVersion): VersionOracle {
  const schema = loadSchemaFile(version);
  // The 2025-03/06 files declare draft-07; Ajv 2020 reads their keywords alike, but would try to
  // fetch the draft-07 meta-schema for `$schema`, so the declaration is dropped.
  delete schema.$schema;
  const defsKey = schema.$defs ? '$defs' : 'definitions';
  const defs = schema[defsKey] as VersionOracle['defs'];
  const id = `https://mcp-schema.test/${version}/schema.json`;
  const ajv = new Ajv2020({ strict: false, allErrors: true, logger: false });
  addFormats(ajv);
  ajv.addSchema({ ...schema, $id: id });

  const resultDefs = new Map<string, string>();
  for (const request of unionMembers(defs, 'ClientRequest')) {
    const method = methodOf(defs[request]);
    if (!method) continue;
    // XRequest answers with XResult; requests without a result type of their own (ping,
    // logging/setLevel, resources/subscribe) answer with EmptyResult.
    const result = request.replace(/Request$/, 'Result');
    resultDefs.set(method, defs[result] ? result : 'EmptyResult');
  }
  const byMethod = (union: string) => new Map(unionMembers(defs, union).flatMap((name) => (methodOf(defs[name]) ? [[methodOf(defs[name])!, name] as const] : [])));
  const errorDefs = new Map<number, string>();
  for (const [name, def] of Object.entries(defs)) {
    const error = (def.properties as Record<string, { allOf?: { properties?: { code?: { const?: unknown } } }[] }> | undefined)?.error;
    const code = error?.allOf?.map((part) => part.properties?.code?.const).find((value) => typeof value === 'number');
    if (typeof code === 'number') errorDefs.set(code, name);
  }
  return { version, ajv, id, defsKey, defs, resultDefs, serverNotifications: byMethod('ServerNotification'), serverRequests: byMethod('ServerRequest'), errorDefs };
}

function oracleFor(version: SchemaVersion): VersionOracle {
  let oracle = oracles.get(version);
  if (!oracle) oracles.set(version, (oracle = load(version)));
  return oracle;
}

function validatorFor(oracle: VersionOracle, def: string): ValidateFunction {
  if (!oracle.defs[def]) throw new Error(`The ${oracle.version} schema has no definition "${def}".`);
  const ref = `${oracle.id}#/${oracle.defsKey}/${def}`;
  const validate = oracle.ajv.getSchema(ref);
  if (!validate) throw new Error(`Ajv could not compile ${ref}.`);
  return validate;
}

const MAX_ERRORS_PER_DEF = 6;

// allErrors reports every failed anyOf branch; a few distinct lines are enough to find the fault.
function describe(def: string, at: string, errors: ErrorObject[] | null | undefined): string[] {
  const lines = [...new Set((errors ?? []).map((e) => `${def}: ${at}${e.instancePath || ''} ${e.message ?? 'is invalid'}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`))];
  if (lines.length <= MAX_ERRORS_PER_DEF) return lines;
  return [...lines.slice(0, MAX_ERRORS_PER_DEF), `${def}: (${lines.length - MAX_ERRORS_PER_DEF} more)`];
}

function check(oracle: VersionOracle, def: string, value: unknown, at = ''): string[] {
  const validate = validatorFor(oracle, def);
  return validate(value) ? [] : describe(def, at, validate.errors);
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export interface MessageContext {
  /** The method of the request a response answers. */
  method?: string;
  /** The message is the body of an HTTP error status (4xx/5xx), where an id-less error is allowed. */
  httpError?: boolean;
}

/** The definitions a message is checked against, in order; exported so the mapping itself is testable. */
export function definitionsFor(version: SchemaVersion, message: unknown, context: MessageContext = {}): string[] {
  return plan(oracleFor(version), message, context).checks.map(([def]) => def);
}

interface Plan {
  errors: string[];
  checks: CoreCheck[];
}

function plan(oracle: VersionOracle, message: unknown, context: MessageContext): Plan {
  const modern = oracle.version === MODERN_SCHEMA;
  const errors: string[] = [];
  const checks: Plan['checks'] = [];
  if (!isObject(message)) return { errors: [`not a JSON-RPC message object: ${JSON.stringify(message)}`], checks };

  if (typeof message.method === 'string') {
    if ('id' in message) {
      // 2026-07-28: "Servers MUST NOT initiate JSON-RPC requests" (MRTR replaces them).
      const def = oracle.serverRequests.get(message.method);
      if (modern) errors.push(`server sent a JSON-RPC request (${message.method}); 2026-07-28 servers must not initiate requests`);
      else if (!def) errors.push(`${message.method} is not a server request in ${oracle.version}`);
      else checks.push(['JSONRPCRequest', message, ''], [def, message, '']);
    } else if (modern && message.method === 'notifications/tasks') {
      const task = planTaskNotification(message.params);
      errors.push(...task.errors);
      checks.push(['JSONRPCNotification', message, ''], ...task.checks);
    } else if (message.method === PARTIAL_RESULT_METHOD) {
      // The one extension notification of every lane: its own shape, the official content blocks.
      errors.push(...checkPartialResultNotification(message.params));
      checks.push(['JSONRPCNotification', message, '']);
      const content = isObject(message.params) && Array.isArray(message.params.content) ? message.params.content : [];
      if (oracle.defs.ContentBlock) content.forEach((block, i) => checks.push(['ContentBlock', block, `/params/content/${i}`]));
      else checks.push(['CallToolResult', { content }, '/params']);
    } else {
      const def = oracle.serverNotifications.get(message.method);
      if (!def) errors.push(`${message.method} is not a server notification in ${oracle.version}`);
      else checks.push(['JSONRPCNotification', message, ''], [def, message, '']);
    }
    return { errors, checks };
  }

  if ('error' in message) {
    // Streamable HTTP (every revision) lets the body of an HTTP error status be "a JSON-RPC error
    // response that has no id", though the 2025-03/06 schemas require one: honour the transport.
    const error = context.httpError && !('id' in message) ? { ...message, id: 0 } : message;
    checks.push([oracle.defs.JSONRPCErrorResponse ? 'JSONRPCErrorResponse' : 'JSONRPCError', error, '']);
    const code = isObject(message.error) ? message.error.code : undefined;
    const pinned = typeof code === 'number' ? oracle.errorDefs.get(code) : undefined;
    if (pinned) checks.push([pinned, error, '']);
    return { errors, checks };
  }

  if (!('result' in message)) return { errors: [`neither request, notification, result nor error: ${JSON.stringify(message)}`], checks };
  checks.push([oracle.defs.JSONRPCResultResponse ? 'JSONRPCResultResponse' : 'JSONRPCResponse', message, '']);
  const result = message.result;
  if (context.method === undefined) {
    checks.push(['ServerResult', result, '/result']);
    return { errors, checks };
  }
  const task = modern && isObject(result) ? planTaskResult(context.method, result) : undefined;
  if (task) return { errors: task.errors, checks: [...checks, ...task.checks] };
  const resultDef = oracle.resultDefs.get(context.method);
  if (!resultDef) return { errors: [`${context.method} is not a client request in ${oracle.version}, so nothing can answer it`], checks };

  if (modern && isObject(result)) {
    const resultType = result.resultType;
    if (resultType === 'input_required') {
      if (!INPUT_REQUIRED_METHODS.has(context.method)) errors.push(`${context.method} answered input_required; only tools/call, prompts/get and resources/read may`);
      // The schema cannot say "at least one of inputRequests or requestState", the spec does.
      if (result.inputRequests === undefined && result.requestState === undefined) errors.push('InputRequiredResult: needs inputRequests or requestState');
      checks.push(['InputRequiredResult', result, '/result']);
      return { errors, checks };
    }
    // No extension is negotiated by these peers, so `task` or anything else is out of place.
    if (typeof resultType === 'string' && !CORE_RESULT_TYPES.has(resultType)) errors.push(`${resultDef}: unknown resultType "${resultType}"`);
    const envelope = `${resultDef}Response`;
    if (oracle.defs[envelope]) checks.push([envelope, message, '']);
  }
  checks.push([resultDef, result, '/result']);
  return { errors, checks };
}

/**
 * Validates one message the server sent, for the revision it speaks. Returns readable errors;
 * an empty list means valid.
 */
export function validateServerMessage(version: SchemaVersion, message: unknown, context: MessageContext = {}): string[] {
  const oracle = oracleFor(version);
  const { errors, checks } = plan(oracle, message, context);
  for (const [def, value, at] of checks) errors.push(...check(oracle, def, value, at));
  return errors;
}

/** Validates a value against one named definition (e.g. an example file). */
export function validateDefinition(version: SchemaVersion, def: string, value: unknown): string[] {
  return check(oracleFor(version), def, value);
}

/** Definition names of a revision, e.g. to walk its examples. */
export function definitionNames(version: SchemaVersion): string[] {
  return Object.keys(oracleFor(version).defs);
}

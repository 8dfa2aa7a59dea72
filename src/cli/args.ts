// Command-line grammar: `stateless-mcp <command> <url> [arguments] [options]`, and
// `stateless-mcp init <dir>`. Parsing returns a value or a UsageError naming the fix; nothing here
// does I/O.
import { RUNTIMES } from './starter.ts';
import type { Runtime } from './starter.ts';

export const COMMANDS = ['discover', 'tools', 'call', 'read', 'prompt', 'bridge'] as const;
export type Command = (typeof COMMANDS)[number];

/** `stateless-mcp init <dir> [--runtime R] [--force]`: a new project. */
export interface InitInvocation {
  command: 'init';
  directory: string;
  runtime: Runtime;
  force: boolean;
}

export interface Invocation {
  command: Command;
  url: URL;
  /** Positional arguments after the URL. */
  rest: string[];
  json: boolean;
  headers: Record<string, string>;
  token: string | undefined;
  answers: Record<string, string>;
  roots: string[];
  timeoutMs: number | undefined;
  preferJsonLines: boolean;
  era: 'auto' | 'modern' | 'legacy';
}

export class UsageError extends Error {}

export const USAGE = `Usage: stateless-mcp <command> <url> [arguments] [options]
       stateless-mcp init <dir> [--runtime node|workers|next|lambda|deno|bun] [--force]

Commands:
  init <dir>                        start a project: a server with one tool for --runtime
                                    (default node); --force writes into a non-empty <dir>
  discover <url>                    what the server is: era, revision, capabilities
  tools <url>                       list its tools
  call <url> <tool> [k=v ...|JSON]  call a tool (values are JSON-parsed when they can be); pieces
                                    of its result print as the tool produces them
  read <url> [uri]                  read a resource; without a URI, list resources
  prompt <url> [name] [k=v ...]     get a prompt; without a name, list prompts
  bridge <url>                      serve the remote server to a desktop client over stdio

Options:
  -H, --header 'Name: value'  send a header on every request (repeatable)
  --token TOKEN               bearer token (default: $MCP_TOKEN; more headers: $MCP_HEADERS,
                              one 'Name: value' per line)
  --json                      print the raw result as JSON; for call, JSON Lines events:
                              {"type":"partial",...} per piece, then {"type":"result",...}
  --answer k=v                answer an elicitation field without prompting (repeatable)
  --root URI                  offer a root to servers that ask for roots (repeatable)
  --timeout MS                give up after MS milliseconds (default 60000; 0 for none)
  --jsonl                     ask for JSON Lines streaming ahead of SSE
  --era auto|modern|legacy    skip the 2026-07-28 probe (default auto)
  -h, --help                  show this help

Exit codes: 0 ok, 1 the tool returned isError, 2 usage error, 3 protocol or HTTP error, 4 unreachable.
init: 0 written, 1 a file could not be written, 2 usage error or a directory that is not empty.`;

const VALUE_OPTIONS = new Set(['-H', '--header', '--token', '--answer', '--root', '--timeout', '--era', '--runtime']);
const INIT_OPTIONS = new Set(['--runtime', '--force']);

function pair(text: string, separator: string, what: string): [string, string] {
  const at = text.indexOf(separator);
  if (at <= 0) throw new UsageError(`${what} must look like ${separator === ':' ? "'Name: value'" : 'key=value'}, got "${text}".`);
  return [text.slice(0, at).trim(), text.slice(at + separator.length).trim()];
}

function parseInit(rest: readonly string[], options: readonly [string, string][], force: boolean): InitInvocation {
  const [directory, ...extra] = rest;
  if (directory === undefined) throw new UsageError('init needs a directory for the project, e.g. stateless-mcp init my-server --runtime node');
  if (extra.length > 0) throw new UsageError(`init takes one directory, got ${rest.length}: ${rest.join(' ')}. Quote a path with spaces.`);
  let runtime: Runtime = 'node';
  for (const [name, value] of options) {
    if (name !== '--runtime') throw new UsageError(`${name} is not an option of init; init takes --runtime and --force.`);
    if (!(RUNTIMES as readonly string[]).includes(value)) throw new UsageError(`Unknown runtime "${value}": choose one of ${RUNTIMES.join(', ')}.`);
    runtime = value as Runtime;
  }
  return { command: 'init', directory, runtime, force };
}

/** `help` is returned for -h/--help and for no arguments at all. */
export function parseArgs(argv: readonly string[], env: Record<string, string | undefined>): Invocation | InitInvocation | 'help' {
  const positionals: string[] = [];
  const options: [string, string][] = [];
  let json = false;
  let preferJsonLines = false;
  let force = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h' || arg === '--help') return 'help';
    if (arg === '--json') json = true;
    else if (arg === '--jsonl') preferJsonLines = true;
    else if (arg === '--force') force = true;
    else if (arg === '--') positionals.push(...argv.slice(i + 1)), (i = argv.length);
    else if (arg.startsWith('--') && arg.includes('=') && VALUE_OPTIONS.has(arg.slice(0, arg.indexOf('=')))) options.push([arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]);
    else if (VALUE_OPTIONS.has(arg)) {
      const value = argv[++i];
      if (value === undefined) throw new UsageError(`${arg} needs a value.`);
      options.push([arg, value]);
    } else if (arg.startsWith('-') && arg.length > 1 && !/^-\d/.test(arg)) throw new UsageError(`Unknown option ${arg}. Run stateless-mcp --help for the list.`);
    else positionals.push(arg);
  }
  if (positionals.length === 0) return 'help';

  const [command, rawUrl, ...rest] = positionals;
  if (command === 'init') return parseInit(positionals.slice(1), options, force);
  if (!(COMMANDS as readonly string[]).includes(command!)) throw new UsageError(`Unknown command "${command}". Commands: ${COMMANDS.join(', ')}, init.`);
  const misplaced = force ? '--force' : options.find(([name]) => INIT_OPTIONS.has(name))?.[0];
  if (misplaced) throw new UsageError(`${misplaced} is an option of init, not of ${command}.`);
  if (rawUrl === undefined) throw new UsageError(`${command} needs the server URL, e.g. stateless-mcp ${command} http://127.0.0.1:3000/mcp`);
  if (!URL.canParse(rawUrl) || !/^https?:$/.test(new URL(rawUrl).protocol)) throw new UsageError(`"${rawUrl}" is not an http(s) URL; pass the MCP endpoint, e.g. https://example.com/mcp`);
  if (command === 'call' && rest.length === 0) throw new UsageError('call needs a tool name: stateless-mcp call <url> <tool> [k=v ...]. List tools with stateless-mcp tools <url>.');

  const invocation: Invocation = {
    command: command as Command,
    url: new URL(rawUrl),
    rest,
    json,
    headers: {},
    token: env.MCP_TOKEN || undefined,
    answers: {},
    roots: [],
    timeoutMs: undefined,
    preferJsonLines,
    era: 'auto',
  };
  // MCP_HEADERS: one 'Name: value' per line, for hosts that configure the bridge through env only.
  for (const line of (env.MCP_HEADERS ?? '').split('\n')) {
    if (line.trim() === '') continue;
    const [header, headerValue] = pair(line, ':', 'Each MCP_HEADERS line');
    invocation.headers[header] = headerValue;
  }
  for (const [name, value] of options) {
    if (name === '-H' || name === '--header') {
      const [header, headerValue] = pair(value, ':', 'A header');
      invocation.headers[header] = headerValue;
    } else if (name === '--token') invocation.token = value;
    else if (name === '--answer') {
      const [key, answer] = pair(value, '=', '--answer');
      invocation.answers[key] = answer;
    } else if (name === '--root') invocation.roots.push(value);
    else if (name === '--timeout') {
      if (!/^\d+$/.test(value)) throw new UsageError(`--timeout takes milliseconds, got "${value}".`);
      invocation.timeoutMs = Number(value);
    } else if (name === '--era') {
      if (value !== 'auto' && value !== 'modern' && value !== 'legacy') throw new UsageError(`--era is auto, modern or legacy, got "${value}".`);
      invocation.era = value;
    }
  }
  return invocation;
}

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Not JSON: the text itself is the value (`city=Oslo`).
    return text;
  }
}

/** Tool arguments: one JSON object, or `k=v` pairs whose values are JSON-parsed when they can be. */
export function parseToolArguments(parts: readonly string[]): Record<string, unknown> {
  if (parts.length === 1 && parts[0]!.trim().startsWith('{')) {
    const value = parseValue(parts[0]!);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError(`Tool arguments given as JSON must be an object; could not parse ${parts[0]}.`);
    return value as Record<string, unknown>;
  }
  const args: Record<string, unknown> = {};
  for (const part of parts) {
    const [key, value] = pair(part, '=', 'A tool argument');
    args[key] = parseValue(value);
  }
  return args;
}

/** Prompt arguments are strings on the wire, so values are taken as written. */
export function parsePromptArguments(parts: readonly string[]): Record<string, string> {
  const args: Record<string, string> = {};
  for (const part of parts) {
    const [key, value] = pair(part, '=', 'A prompt argument');
    args[key] = value;
  }
  return args;
}

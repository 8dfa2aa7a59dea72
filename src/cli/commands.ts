// The one-shot commands: discover, tools, call, read, prompt. Each prints its result and returns
// the exit code; failures print what went wrong and what to do next.
import { McpClientError, createClient, isClientError } from '../client/index.ts';
import { ErrorCode } from '../protocol/jsonrpc.ts';
import type { ClientOptions, McpClient } from '../client/index.ts';
import type { CallToolResult, ContentBlock } from '../protocol/types.ts';
import { UsageError, parsePromptArguments, parseToolArguments } from './args.ts';
import type { Invocation } from './args.ts';
import { createElicitationHandler } from './answers.ts';
import type { Io } from './host.ts';
import {
  createProgressDisplay,
  formatDiscover,
  formatEvent,
  formatJson,
  formatPiece,
  formatPromptResult,
  formatPrompts,
  formatReadResult,
  formatResources,
  formatToolResult,
  formatTools,
  styleFor,
} from './output.ts';
import type { ProgressDisplay, Style } from './output.ts';

export const ExitCode = { Ok: 0, ToolError: 1, Usage: 2, Protocol: 3, Unreachable: 4 } as const;

/** Client options every command shares: auth, headers, timeouts, streaming preference. */
export function clientOptionsFor(invocation: Invocation, io: Io): ClientOptions {
  const options: ClientOptions = {
    clientInfo: { name: 'stateless-mcp-cli', version: '0.1.0' },
    headers: invocation.headers,
    preferJsonLines: invocation.preferJsonLines,
    era: invocation.era,
    onWarning: (message) => io.stderr.write(`warning: ${message}\n`),
  };
  if (invocation.token) options.token = invocation.token;
  if (invocation.timeoutMs !== undefined) options.timeoutMs = invocation.timeoutMs;
  return options;
}

export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError) return ExitCode.Usage;
  if (error instanceof McpClientError) return error.code === 'UNREACHABLE' ? ExitCode.Unreachable : ExitCode.Protocol;
  return ExitCode.Protocol;
}

export function describeError(error: unknown): string {
  if (error instanceof UsageError) return `usage: ${error.message}\n`;
  if (!(error instanceof McpClientError)) return `error: ${error instanceof Error ? error.message : String(error)}\n`;
  let text = `error (${error.code}): ${error.message}\n`;
  if (error.code === 'PROTOCOL_ERROR' && error.data !== undefined) text += `  data: ${JSON.stringify(error.data)}\n`;
  return text;
}

/**
 * `call`: pieces of the result go to stdout as they arrive (clearing the progress line first), then
 * what the result adds to them; with --json, one JSON Lines event per piece and one for the result.
 */
async function runCall(client: McpClient, invocation: Invocation, io: Io, style: Style, progress: ProgressDisplay): Promise<number> {
  const [name, ...rest] = invocation.rest;
  const printed: ContentBlock[] = [];
  let result: CallToolResult = {};
  for await (const event of client.streamTool(name!, parseToolArguments(rest), { onProgress: progress.update })) {
    if (invocation.json) io.stdout.write(formatEvent(event));
    if (event.type === 'result') result = event.result;
    else if (!invocation.json) {
      progress.done();
      io.stdout.write(formatPiece(event.content));
      printed.push(...event.content);
    }
  }
  progress.done();
  if (invocation.json) return result.isError ? ExitCode.ToolError : ExitCode.Ok;
  if (result.isError) {
    io.stderr.write(`${style.red('The tool reported an error:')}\n${formatToolResult(result, printed)}`);
    return ExitCode.ToolError;
  }
  io.stdout.write(formatToolResult(result, printed));
  return ExitCode.Ok;
}

async function runWith(client: McpClient, invocation: Invocation, io: Io): Promise<number> {
  const style = styleFor(io.stdout, io.env);
  const print = (json: unknown, pretty: () => string) => io.stdout.write(invocation.json ? formatJson(json) : pretty());
  const progress = createProgressDisplay(io.stderr);
  const streaming = { onProgress: progress.update };
  const [name, ...rest] = invocation.rest;
  try {
    switch (invocation.command) {
      case 'discover': {
        const server = await client.discover();
        print(server, () => formatDiscover(server, style));
        return ExitCode.Ok;
      }
      case 'tools': {
        const tools = await client.listTools();
        print(tools, () => formatTools(tools, style));
        return ExitCode.Ok;
      }
      case 'call':
        return await runCall(client, invocation, io, style, progress);
      case 'read': {
        if (name === undefined) {
          const resources = await client.listResources();
          const templates = await client.listResourceTemplates().catch((error: unknown) => {
            // A server with no templates may not implement the method at all: that is "none". Any other failure is reported.
            if (isClientError(error, 'PROTOCOL_ERROR') && error.rpcCode === ErrorCode.MethodNotFound) return [];
            throw error;
          });
          print({ resources, resourceTemplates: templates }, () => formatResources(resources, templates, style));
          return ExitCode.Ok;
        }
        const result = await client.readResource(name, streaming);
        progress.done();
        print(result, () => formatReadResult(result));
        return ExitCode.Ok;
      }
      case 'prompt': {
        if (name === undefined) {
          const prompts = await client.listPrompts();
          print(prompts, () => formatPrompts(prompts, style));
          return ExitCode.Ok;
        }
        const result = await client.getPrompt(name, parsePromptArguments(rest), streaming);
        progress.done();
        print(result, () => formatPromptResult(result, style));
        return ExitCode.Ok;
      }
      default:
        throw new Error(`not a one-shot command: ${invocation.command}`);
    }
  } catch (error) {
    progress.done();
    throw error;
  }
}

export async function runCommand(invocation: Invocation, io: Io): Promise<number> {
  const options = clientOptionsFor(invocation, io);
  options.handlers = { elicitation: createElicitationHandler(io, invocation.answers) };
  if (invocation.roots.length > 0) options.handlers.roots = () => invocation.roots.map((uri) => ({ uri }));
  const client = createClient(invocation.url, options);
  try {
    return await runWith(client, invocation, io);
  } catch (error) {
    io.stderr.write(describeError(error));
    return exitCodeFor(error);
  } finally {
    await client.close();
  }
}

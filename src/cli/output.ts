// How results look: readable text for people (colour only on a TTY), raw JSON with --json (JSON
// Lines events for a tool call), and a live progress line on stderr while a call streams.
import type { Progress, Prompt, Resource, ResourceTemplate, ServerDescription, Tool, ToolStreamEvent } from '../client/index.ts';
import type { CallToolResult, ContentBlock, GetPromptResult, ReadResourceResult, ResourceContents } from '../protocol/types.ts';
import type { OutputStream } from './host.ts';

export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
}

export function styleFor(stream: OutputStream, env: Record<string, string | undefined>): Style {
  const colour = stream.isTTY === true && env.NO_COLOR === undefined;
  const wrap = (code: number) => (text: string) => (colour ? `\x1b[${code}m${text}\x1b[0m` : text);
  return { bold: wrap(1), dim: wrap(2), red: wrap(31) };
}

export function formatJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function describeBlob(kind: string, mimeType: string | undefined, base64: string): string {
  return `[${kind}${mimeType ? ` ${mimeType}` : ''}, ${Math.floor((base64.length * 3) / 4)} bytes]`;
}

function formatResourceContents(contents: ResourceContents): string {
  return 'text' in contents ? contents.text : describeBlob('blob', contents.mimeType, contents.blob);
}

export function formatContent(block: ContentBlock): string {
  switch (block.type) {
    case 'text':
      return block.text;
    case 'image':
    case 'audio':
      return describeBlob(block.type, block.mimeType, block.data);
    case 'resource':
      return `[resource ${block.resource.uri}]\n${formatResourceContents(block.resource)}`;
    case 'resource_link':
      return `[link ${block.uri}${block.description ? ` — ${block.description}` : ''}]`;
    default:
      return JSON.stringify(block);
  }
}

export function formatDiscover(server: ServerDescription, style: Style): string {
  const info = server.serverInfo;
  const lines = [
    `${style.bold(info?.title ?? info?.name ?? 'MCP server')}${info ? style.dim(` ${info.name} ${info.version}`) : ''}`,
    `protocol      ${server.protocolVersion} (${server.era === 'modern' ? 'stateless 2026 lane' : '2025 lane'})`,
    `supports      ${server.supportedVersions.join(', ')}`,
    `capabilities  ${Object.keys(server.capabilities).join(', ') || 'none'}`,
  ];
  if (server.instructions) lines.push('', server.instructions);
  return `${lines.join('\n')}\n`;
}

function describeArguments(tool: Tool): string {
  const schema = tool.inputSchema as { properties?: Record<string, { type?: unknown }>; required?: string[] };
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {})
    .map(([name, property]) => `${name}${required.has(name) ? '' : '?'}: ${typeof property.type === 'string' ? property.type : 'any'}`)
    .join(', ');
}

export function formatTools(tools: Tool[], style: Style): string {
  if (tools.length === 0) return 'No tools.\n';
  return tools.map((tool) => `${style.bold(tool.name)}(${describeArguments(tool)})${tool.description ? `\n  ${style.dim(tool.description)}` : ''}`).join('\n') + '\n';
}

export function formatResources(resources: Resource[], templates: ResourceTemplate[], style: Style): string {
  const lines = resources.map((r) => `${style.bold(r.uri)}  ${r.name}${r.description ? style.dim(` — ${r.description}`) : ''}`);
  lines.push(...templates.map((t) => `${style.bold(t.uriTemplate)}  ${t.name}${style.dim(' (template)')}`));
  return lines.length === 0 ? 'No resources.\n' : `${lines.join('\n')}\n`;
}

export function formatPrompts(prompts: Prompt[], style: Style): string {
  if (prompts.length === 0) return 'No prompts.\n';
  return prompts.map((p) => `${style.bold(p.name)}(${(p.arguments ?? []).map((a) => `${a.name}${a.required ? '' : '?'}`).join(', ')})${p.description ? `\n  ${style.dim(p.description)}` : ''}`).join('\n') + '\n';
}

/** One line of `call --json`: a piece as it arrived, or the final result. */
export function formatEvent(event: ToolStreamEvent): string {
  return `${JSON.stringify(event)}\n`;
}

/** A piece of a tool's result, printed as it arrives; nothing for a piece without content. */
export function formatPiece(content: readonly ContentBlock[]): string {
  return content.length === 0 ? '' : `${content.map(formatContent).join('\n')}\n`;
}

/**
 * The final result's blocks that were not printed as pieces. The result holds the pieces in the
 * order they were sent, so the printed blocks are matched as a subsequence: a piece lost on the way
 * is still printed here, and a block the server changed is printed again rather than lost.
 */
function unprinted(content: readonly ContentBlock[], printed: readonly ContentBlock[]): ContentBlock[] {
  let next = 0;
  return content.filter((block) => {
    if (next < printed.length && JSON.stringify(block) === JSON.stringify(printed[next])) return (next++, false);
    return true;
  });
}

/** The result, less the blocks already printed as pieces (`printed`, in order). */
export function formatToolResult(result: CallToolResult, printed: readonly ContentBlock[] = []): string {
  const content = result.content ?? [];
  const rest = unprinted(content, printed);
  const text = rest.map(formatContent).join('\n');
  // Servers SHOULD repeat structured output as text; show it only when they did not.
  if (result.structuredContent !== undefined && !content.some((block) => formatContent(block).trim() === JSON.stringify(result.structuredContent))) {
    return `${text}${text ? '\n' : ''}${JSON.stringify(result.structuredContent, null, 2)}\n`;
  }
  // After pieces, a result that adds nothing prints nothing (not an empty line).
  return text === '' && printed.length > 0 ? '' : `${text}\n`;
}

export function formatReadResult(result: ReadResourceResult): string {
  return `${result.contents.map(formatResourceContents).join('\n')}\n`;
}

export function formatPromptResult(result: GetPromptResult, style: Style): string {
  const lines = result.messages.map((m) => `${style.bold(`${m.role}:`)} ${formatContent(m.content)}`);
  return `${result.description ? `${style.dim(result.description)}\n` : ''}${lines.join('\n')}\n`;
}

/** A progress line on stderr: redrawn in place on a TTY, one line per update otherwise. */
export interface ProgressDisplay {
  update(progress: Progress): void;
  /** Clears the line on a TTY, before other output or at the end. */
  done(): void;
}

export function createProgressDisplay(stream: OutputStream): ProgressDisplay {
  let shown = false;
  return {
    update({ progress, total, message }) {
      const amount = total === undefined ? `${progress}` : `${progress}/${total}`;
      const bar = total ? `[${'#'.repeat(Math.round((Math.min(progress / total, 1)) * 20)).padEnd(20, '.')}] ` : '';
      const line = `progress ${bar}${amount}${message ? ` ${message}` : ''}`;
      if (stream.isTTY) stream.write(`\r\x1b[K${line}`);
      else stream.write(`${line}\n`);
      shown = true;
    },
    done() {
      if (shown && stream.isTTY) stream.write('\r\x1b[K');
    },
  };
}

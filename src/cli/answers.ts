// Answers to elicitation requests for the CLI: prompts on a TTY, `--answer k=v` otherwise. The
// form's own defaults fill what nobody answered; a required field left empty declines, with the
// flag that would answer it.
import type { InputHandlers } from '../client/index.ts';
import type { ElicitRequestParams, ElicitResult } from '../protocol/types.ts';
import type { Io } from './host.ts';
import { LineReader } from './host.ts';

interface FieldSchema {
  type?: string;
  title?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  items?: { enum?: unknown[] };
}

/** A typed field value from what the user typed, or undefined when it does not fit the type. */
export function coerceAnswer(text: string, schema: FieldSchema): unknown {
  switch (schema.type) {
    case 'integer':
    case 'number': {
      const value = Number(text);
      return text.trim() !== '' && Number.isFinite(value) && (schema.type === 'number' || Number.isInteger(value)) ? value : undefined;
    }
    case 'boolean':
      if (/^(y|yes|true|1)$/i.test(text.trim())) return true;
      if (/^(n|no|false|0)$/i.test(text.trim())) return false;
      return undefined;
    case 'array':
      return text.split(',').map((item) => item.trim()).filter((item) => item !== '');
    default:
      return text;
  }
}

function label(name: string, schema: FieldSchema): string {
  const choices = schema.enum ?? schema.items?.enum;
  const hints = [schema.type, choices ? choices.join('/') : undefined, schema.default !== undefined ? `default ${JSON.stringify(schema.default)}` : undefined].filter(Boolean);
  return `${schema.title ?? name}${schema.description ? ` (${schema.description})` : ''} [${hints.join(', ')}]: `;
}

export function createElicitationHandler(io: Io, answers: Record<string, string>): NonNullable<InputHandlers['elicitation']> {
  const interactive = io.stdin.isTTY === true;
  let lines: LineReader | undefined;
  return async (params: ElicitRequestParams): Promise<ElicitResult> => {
    io.stderr.write(`? ${params.message}\n`);
    if (params.mode === 'url') {
      io.stderr.write(`  Open ${params.url} to continue.\n`);
      if (!interactive) return { action: 'decline' };
      lines ??= new LineReader(io.stdin);
      io.stderr.write('  Press Enter when done (or type "no" to decline): ');
      const reply = await lines.next();
      return reply?.trim().toLowerCase() === 'no' ? { action: 'decline' } : { action: 'accept' };
    }
    const schema = (params.requestedSchema ?? {}) as { properties?: Record<string, FieldSchema>; required?: string[] };
    const required = new Set(schema.required ?? []);
    const content: Record<string, unknown> = {};
    const missing: string[] = [];
    for (const [name, field] of Object.entries(schema.properties ?? {})) {
      let value = answers[name] === undefined ? undefined : coerceAnswer(answers[name]!, field);
      while (value === undefined && interactive) {
        lines ??= new LineReader(io.stdin);
        io.stderr.write(`  ${label(name, field)}`);
        const reply = await lines.next();
        if (reply === undefined) return { action: 'cancel' };
        if (reply.trim() === '') break;
        value = coerceAnswer(reply, field);
        if (value === undefined) io.stderr.write(`  That is not a ${field.type}; try again.\n`);
      }
      value ??= field.default;
      if (value !== undefined) content[name] = value;
      else if (required.has(name)) missing.push(name);
    }
    lines?.pause();
    if (missing.length > 0) {
      const flags = missing.map((name) => `--answer ${name}=…`).join(' ');
      io.stderr.write(`  Declined: no answer for ${missing.join(', ')}. Run again with ${flags}${interactive ? '' : ' (stdin is not a terminal, so nothing was asked)'}.\n`);
      return { action: 'decline' };
    }
    return { action: 'accept', content: content as Record<string, string> };
  };
}

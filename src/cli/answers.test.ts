import { describe, expect, it } from 'vitest';
import { coerceAnswer, createElicitationHandler } from './answers.ts';
import type { InputStream, Io } from './host.ts';

/** A terminal whose user types `typed`, one line per prompt; what the CLI writes is kept. */
function terminal(typed: string[], isTTY = true) {
  const listeners: Record<string, ((chunk?: string) => void)[]> = {};
  let written = '';
  const stdin: InputStream = {
    isTTY,
    setEncoding: () => undefined,
    on: ((event: string, listener: (chunk?: string) => void) => ((listeners[event] ??= []).push(listener), stdin)) as InputStream['on'],
    pause: () => stdin,
    // Each resume (a prompt waiting) delivers the next typed line.
    resume: () => (queueMicrotask(() => {
      const line = typed.shift();
      for (const listener of listeners[line === undefined ? 'end' : 'data'] ?? []) listener(line === undefined ? undefined : `${line}\n`);
    }), stdin),
  };
  const io: Io = { argv: [], env: {}, stdin, stdout: { write: () => true }, stderr: { write: (text: string) => ((written += text), true) } };
  return { io, written: () => written };
}

const form = {
  message: 'Book a table',
  requestedSchema: {
    type: 'object',
    properties: {
      name: { type: 'string', title: 'Your name' },
      guests: { type: 'integer', default: 2 },
      terrace: { type: 'boolean' },
    },
    required: ['name'],
  },
};

describe('createElicitationHandler', () => {
  it('asks each field on a terminal, re-asks a value of the wrong type, and keeps defaults for empty answers', async () => {
    const { io, written } = terminal(['Ada', '', 'maybe', 'yes']);
    const result = await createElicitationHandler(io, {})(form, { signal: new AbortController().signal, method: 'tools/call', name: 'book' });
    expect(result).toEqual({ action: 'accept', content: { name: 'Ada', guests: 2, terrace: true } });
    expect(written()).toContain('? Book a table\n  Your name [string]: ');
    expect(written()).toContain('guests [integer, default 2]: ');
    expect(written()).toContain('That is not a boolean; try again.');
  });

  it('takes --answer values without asking, and declines naming the flag when a required field has none', async () => {
    const piped = terminal([], false);
    const answered = await createElicitationHandler(piped.io, { name: 'Bo', terrace: 'no' })(form, { signal: new AbortController().signal, method: 'tools/call', name: 'book' });
    expect(answered).toEqual({ action: 'accept', content: { name: 'Bo', guests: 2, terrace: false } });
    const declined = await createElicitationHandler(piped.io, {})(form, { signal: new AbortController().signal, method: 'tools/call', name: 'book' });
    expect(declined).toEqual({ action: 'decline' });
    expect(piped.written()).toContain('Declined: no answer for name. Run again with --answer name=…');
  });

  it('cancels when the terminal closes mid-form', async () => {
    const { io } = terminal([]);
    expect(await createElicitationHandler(io, {})(form, { signal: new AbortController().signal, method: 'tools/call', name: 'book' })).toEqual({ action: 'cancel' });
  });
});

describe('coerceAnswer', () => {
  it.each([
    ['42', { type: 'integer' }, 42],
    ['4.5', { type: 'integer' }, undefined],
    ['4.5', { type: 'number' }, 4.5],
    ['', { type: 'number' }, undefined],
    ['Y', { type: 'boolean' }, true],
    ['a, b,', { type: 'array' }, ['a', 'b']],
    [' as typed ', { type: 'string' }, ' as typed '],
  ])('%j as %j → %j', (text, schema, value) => {
    expect(coerceAnswer(text, schema)).toEqual(value);
  });
});

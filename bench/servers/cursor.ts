// The agent-loop bench's tool, whatever library serves it: `cursor { rows, gapMs }` reads `rows`
// rows from a simulated database cursor, each `gapMs` after the one before (the first too).
import * as z from 'zod';

export const CURSOR_DESCRIPTION = 'Reads `rows` rows from a database cursor, one every `gapMs` ms.';

export const cursorInput = z.object({ rows: z.number().int().min(1).max(10_000), gapMs: z.number().min(0).max(60_000) });

/** Row `id` as the text content block the tool sends for it (about 100 bytes, like a narrow table row). */
export function cursorRow(id: number): { type: 'text'; text: string } {
  return { type: 'text', text: JSON.stringify({ id, customer: `customer-${id}`, email: `customer-${id}@example.com`, total: (id * 37) % 1000, status: 'shipped' }) };
}

// Opaque list cursors (`server/utilities/pagination.mdx`): clients must not parse them, so the
// encoding is ours to change; a cursor we did not issue is InvalidParams.
import { ErrorCode, McpError } from '../protocol/jsonrpc.ts';

const PREFIX = 'o';

export function encodeCursor(offset: number): string {
  return btoa(`${PREFIX}${offset}`).replace(/=+$/, '');
}

/** Returns the offset a cursor names; an absent or empty cursor is the first page. */
export function decodeCursor(cursor: unknown): number {
  if (cursor === undefined || cursor === '') return 0;
  if (typeof cursor === 'string') {
    try {
      const text = atob(cursor);
      const offset = Number(text.slice(PREFIX.length));
      // Only the spelling we issue ("o02", padding or spaces name the same page): the server caches
      // each page under its cursor, and every other spelling would be a new entry.
      if (text.startsWith(PREFIX) && Number.isSafeInteger(offset) && offset >= 0 && encodeCursor(offset) === cursor) return offset;
    } catch {
      // not base64: falls through to the error below
    }
  }
  throw new McpError(ErrorCode.InvalidParams, 'Invalid cursor: pass the nextCursor of a previous page unchanged, or omit it for the first page.');
}

export function pageOf<T>(items: readonly T[], cursor: unknown, pageSize: number): { items: T[]; nextCursor?: string } {
  return pageAt(items, decodeCursor(cursor), pageSize);
}

/** The page from an offset already decoded from its cursor. */
export function pageAt<T>(items: readonly T[], offset: number, pageSize: number): { items: T[]; nextCursor?: string } {
  if (offset > items.length) {
    throw new McpError(ErrorCode.InvalidParams, 'Invalid cursor: it points past the end of the list; start again without a cursor.');
  }
  const end = offset + pageSize;
  return end < items.length ? { items: items.slice(offset, end), nextCursor: encodeCursor(end) } : { items: items.slice(offset) };
}

// The stateless-mcp bench app with plain JSON Schema: no schema library at all.
import { createOursApp } from './ours-app.ts';

export const createApp = () =>
  createOursApp({ type: 'object', properties: { text: { type: 'string' } }, required: ['text'] }, { type: 'object' });

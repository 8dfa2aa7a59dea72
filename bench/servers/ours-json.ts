// The stateless-mcp bench app with plain JSON Schema: no schema library at all.
import { jsonSchema } from '../../src/index.ts';
import { createOursApp } from './ours-app.ts';

export const createApp = () =>
  createOursApp(jsonSchema({ type: 'object', properties: { text: { type: 'string' } }, required: ['text'] }), jsonSchema({ type: 'object' }));

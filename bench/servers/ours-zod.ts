// The stateless-mcp bench app with zod schemas (what the peers are given too).
import * as z from 'zod';
import { createOursApp } from './ours-app.ts';

export const createApp = () => createOursApp(z.object({ text: z.string() }), z.object({}));

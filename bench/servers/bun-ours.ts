// stateless-mcp (zod) on Bun: the app's fetch handed to Bun.serve.
import { createApp } from './ours-zod.ts';
import { serveBun } from './bun-serve.ts';

serveBun(createApp());

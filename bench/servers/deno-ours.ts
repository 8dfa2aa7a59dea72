// stateless-mcp (zod) on Deno: the app's fetch handed to Deno.serve.
import { createApp } from './ours-zod.ts';
import { serveDeno } from './deno-serve.ts';

serveDeno(createApp());

// The bare Hono ceiling on Deno.
import { createHonoApp } from './hono-app.ts';
import { serveDeno } from './deno-serve.ts';

serveDeno(createHonoApp());

// The bare Hono ceiling on Bun.
import { createHonoApp } from './hono-app.ts';
import { serveBun } from './bun-serve.ts';

serveBun(createHonoApp());

// The bare Hono ceiling as a Workers module for `wrangler dev` (workerd).
import { createHonoApp } from './hono-app.ts';

const app = createHonoApp();

export default {
  fetch(request: Request): Response | Promise<Response> {
    return app.fetch(request);
  },
};

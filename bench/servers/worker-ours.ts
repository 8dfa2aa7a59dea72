// stateless-mcp (zod) as a Workers module for `wrangler dev` (workerd). Built on the first
// request: Workers forbid randomness (the requestState key) at global scope.
import { createApp } from './ours-zod.ts';

let app: ReturnType<typeof createApp> | undefined;

export default {
  fetch(request: Request): Response | Promise<Response> {
    app ??= createApp();
    return app.fetch(request);
  },
};

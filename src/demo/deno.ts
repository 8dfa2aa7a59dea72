// `deno task start`: the demo app on Deno, configured from the environment like `npm start`.
import { serve } from '../adapter/deno.ts';
import { createDemoApp } from './app.ts';
import { launch, listening } from './launch.ts';

declare const Deno: { env: { get(name: string): string | undefined }; exit(code: number): never };

await launch({
  env: (name) => Deno.env.get(name),
  exit: (code) => Deno.exit(code),
  start: (settings) => serve(createDemoApp(settings.app), { port: settings.port, hostname: settings.hostname, onListen: listening }),
});

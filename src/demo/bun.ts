// `npm run start:bun` (`bun run src/demo/bun.ts`): the demo app on Bun, configured from the
// environment like `npm start`.
import { serve } from '../adapter/bun.ts';
import { createDemoApp } from './app.ts';
import { launch, listening } from './launch.ts';

declare const Bun: { env: Record<string, string | undefined> };
declare const process: { exit(code: number): never };

await launch({
  env: (name) => Bun.env[name],
  exit: (code) => process.exit(code),
  start: (settings) => serve(createDemoApp(settings.app), { port: settings.port, hostname: settings.hostname, onListen: listening }),
});

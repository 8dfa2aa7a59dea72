// `npm start`: the demo app on Node, configured from the environment (README: "Environment
// variables").
import process from 'node:process';
import { serve } from '../adapter/node.ts';
import { createDemoApp } from './app.ts';
import { launch, listening } from './launch.ts';

await launch({
  env: (name) => process.env[name],
  exit: (code) => process.exit(code),
  start: (settings) => serve(createDemoApp(settings.app), { port: settings.port, hostname: settings.hostname, onListen: listening }),
});

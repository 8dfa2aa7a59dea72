// Start-up shared by the demo launchers: read the settings, start, and turn any start-up failure
// into one line naming what to change, then exit 1 (no stack trace for a configuration mistake).
import { SettingError, openHostWarning, readSettings } from './settings.ts';
import type { DemoSettings } from './settings.ts';

export interface Launcher {
  env: (name: string) => string | undefined;
  exit: (code: number) => never;
  start: (settings: DemoSettings) => unknown;
}

function startFailure(error: unknown, settings: DemoSettings): string {
  const { code, name, message } = (error ?? {}) as { code?: unknown; name?: unknown; message?: unknown };
  // Node and Bun say EADDRINUSE; Deno throws Deno.errors.AddrInUse.
  if (code === 'EADDRINUSE' || name === 'AddrInUse') {
    return `Port ${settings.port} on ${settings.hostname} is already in use: stop the other server, or set PORT to another port (PORT=0 picks a free one).`;
  }
  // The Node adapter's errors already say what to do.
  if (name === 'ServeError' && typeof message === 'string') return message;
  return `Cannot start the server: ${typeof message === 'string' ? message : 'unknown error'}. Check HOST and PORT.`;
}

export async function launch({ env, exit, start }: Launcher): Promise<void> {
  let settings: DemoSettings;
  try {
    settings = readSettings(env);
  } catch (error) {
    if (!(error instanceof SettingError)) throw error;
    console.error(`stateless-mcp: ${error.message}`);
    return exit(1);
  }
  const warning = openHostWarning(settings);
  if (warning) console.warn(`stateless-mcp: ${warning}`);
  try {
    await start(settings);
  } catch (error) {
    console.error(`stateless-mcp: ${startFailure(error, settings)}`);
    exit(1);
  }
}

/** The line every launcher prints once it answers: tests and people look for it. */
export const listening = (address: { url: string }) => console.log(`MCP server listening on ${address.url}/mcp`);

// The environment variables every demo launcher reads, checked once at start-up: a bad value is
// reported by name, with what to set, instead of surfacing later as a stack trace.
import { isLoopbackName } from '../http/checks.ts';
import { parseRequestStateKeys } from '../mrtr/request-state.ts';
import type { DemoOptions } from './app.ts';

/** A setting that cannot be used; `message` names the variable and says what to set. */
export class SettingError extends Error {
  override readonly name = 'SettingError';
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
  }
}

export interface DemoSettings {
  port: number;
  hostname: string;
  app: DemoOptions;
}

type Env = (name: string) => string | undefined;

const HOST_PATTERN = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/i;

function list(env: Env, name: string): string[] | undefined {
  const value = env(name);
  if (value === undefined || value.trim() === '') return undefined;
  return value.split(',').map((item) => item.trim()).filter(Boolean);
}

function port(env: Env): number {
  const value = env('PORT')?.trim();
  if (value === undefined || value === '') return 3000;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number > 65_535) {
    throw new SettingError('PORT', `PORT="${value}" is not a port number: set PORT to an integer from 0 to 65535 (0 picks a free port).`);
  }
  return number;
}

function allowedHosts(env: Env): string[] | undefined {
  const hosts = list(env, 'ALLOWED_HOSTS');
  const bad = hosts?.find((host) => !HOST_PATTERN.test(host));
  if (bad !== undefined) {
    throw new SettingError('ALLOWED_HOSTS', `ALLOWED_HOSTS has "${bad}", which is not a host name: list the names clients use, comma-separated, e.g. ALLOWED_HOSTS=mcp.example.com,localhost (a port is optional).`);
  }
  return hosts;
}

function allowedOrigins(env: Env): string[] | undefined {
  const origins = list(env, 'ALLOWED_ORIGINS');
  const bad = origins?.find((origin) => origin !== '*' && !(URL.canParse(origin) && new URL(origin).origin === origin));
  if (bad !== undefined) {
    throw new SettingError('ALLOWED_ORIGINS', `ALLOWED_ORIGINS has "${bad}", which is not an origin: list scheme://host[:port] values, comma-separated, e.g. ALLOWED_ORIGINS=https://app.example.com (no path, no trailing slash).`);
  }
  return origins;
}

function requestStateKeys(env: Env): string | undefined {
  const value = env('REQUEST_STATE_KEYS');
  if (value === undefined || value.trim() === '') return undefined;
  try {
    parseRequestStateKeys(value);
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^requestState keys:\s*/, '') : 'unreadable';
    throw new SettingError('REQUEST_STATE_KEYS', `REQUEST_STATE_KEYS is not usable: ${reason}. Set it to "id:secret[,id:secret…]", e.g. REQUEST_STATE_KEYS=k1:$(openssl rand -base64 32); unset, each process uses a random key of its own.`);
  }
  return value;
}

function requestLog(env: Env): boolean {
  const value = env('REQUEST_LOG')?.trim().toLowerCase();
  if (value === undefined || value === '' || value === 'on' || value === '1' || value === 'true') return true;
  if (value === 'off' || value === '0' || value === 'false') return false;
  throw new SettingError('REQUEST_LOG', `REQUEST_LOG="${value}" is not on or off: set REQUEST_LOG=off to stop the one-line-per-request log, or leave it unset.`);
}

/** Reads PORT, HOST, ALLOWED_HOSTS, ALLOWED_ORIGINS, REQUEST_STATE_KEYS and REQUEST_LOG; throws SettingError. */
export function readSettings(env: Env): DemoSettings {
  const hostname = env('HOST')?.trim() || '127.0.0.1';
  return {
    port: port(env),
    hostname,
    app: { allowedHosts: allowedHosts(env), allowedOrigins: allowedOrigins(env), requestStateKeys: requestStateKeys(env), log: requestLog(env) },
  };
}

/** The line a launcher prints when it serves every Host name (not loopback, no ALLOWED_HOSTS). */
export function openHostWarning(settings: DemoSettings): string | undefined {
  if (isLoopbackName(settings.hostname) || settings.app.allowedHosts) return undefined;
  return `Answering every Host name on ${settings.hostname}: set ALLOWED_HOSTS to the names clients use (e.g. ALLOWED_HOSTS=mcp.example.com) to guard against DNS rebinding.`;
}

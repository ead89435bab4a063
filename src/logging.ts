import { inspect } from 'node:util';
import { type Logger, LogLevel } from '@slack/bolt';

/** `text`: lines like Bolt's own console logger, for a terminal. `json`: one object a line, for a log collector. */
export const LOG_FORMATS = ['text', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface LoggerOptions {
  format: LogFormat;
  level: 'debug' | 'info' | 'warn' | 'error';
  /** Shown on every line (Bolt and the Web API client may rename it through setName). */
  name?: string;
}

/** Where lines go: process.stdout by default, any stream, or a test's capture. */
export interface LogSink {
  write(text: string): unknown;
}

const SEVERITY: Record<LogLevel, number> = {
  [LogLevel.DEBUG]: 100,
  [LogLevel.INFO]: 200,
  [LogLevel.WARN]: 300,
  [LogLevel.ERROR]: 400,
};

const REDACTED = '[redacted]';

/** Objects in a line: on one line, and not too deep. */
const INSPECT = { breakLength: Number.POSITIVE_INFINITY, depth: 4 } as const;

/**
 * What must never reach a log, each with how it is replaced. Tokens are recognised by their prefixes;
 * a URL's password and the OAuth values a redirect or token exchange carries by where they stand.
 */
const SECRETS: readonly [RegExp, string][] = [
  // Slack: bot, user, app-level, configuration and refresh tokens (xoxb-, xoxp-, xapp-, xoxe-, xoxe.xoxp-).
  [/\b(?:xox[a-z](?:\.xox[a-z])?|xapp)-[A-Za-z0-9-]+/g, REDACTED],
  // GitHub: fine-grained, classic, app installation, OAuth and refresh tokens.
  [/\b(?:github_pat_|gh[pousr]_)[A-Za-z0-9_]+/g, REDACTED],
  [/\b(Bearer|Basic)\s+[^\s"',;]+/gi, `$1 ${REDACTED}`],
  // The password of any URL with one: postgres://user:password@host, https://user:token@github.com.
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@]*@/gi, `$1${REDACTED}@`],
  // OAuth values in a query string or a form body, and a speaker's link.
  [/([?&](?:code|state|token|link)=)[^&\s#"']*/gi, `$1${REDACTED}`],
  // A speaker link's token (src/services/talk-links.ts), wherever it appears.
  [/\brtl_[A-Za-z0-9_.-]+/g, REDACTED],
  [/\b((?:client_secret|access_token|refresh_token)=)[^&\s#"']*/gi, `$1${REDACTED}`],
];

/** `text` with every secret SECRETS recognises replaced by `[redacted]`. */
export function redact(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRETS) out = out.replace(pattern, replacement);
  return out;
}

/**
 * A logger Bolt takes (`new App({ logger })`), writing one line per call, with every secret redacted.
 * In `json`, a plain object given first has its fields merged into the line:
 * `logger.info({ status: 200 }, 'request')` writes `{"time":…,"level":"info","msg":"request","status":200}`.
 * An Error is written as its message, and with its stack when the level is debug.
 */
export function createLogger(options: LoggerOptions, out: LogSink = process.stdout): Logger {
  let level = levelOf(options.level);
  let name = options.name ?? '';
  const write = (at: LogLevel, args: unknown[]) => {
    if (SEVERITY[at] < SEVERITY[level]) return;
    const stack = level === LogLevel.DEBUG;
    const [first, ...rest] = args;
    const fields = isPlainObject(first) ? first : undefined;
    const words = fields ? rest : args;
    const line =
      options.format === 'json'
        ? jsonLine(at, name, words, fields, stack)
        : textLine(at, name, words, fields, stack);
    out.write(`${line}\n`);
  };
  return {
    debug: (...msg: unknown[]) => write(LogLevel.DEBUG, msg),
    info: (...msg: unknown[]) => write(LogLevel.INFO, msg),
    warn: (...msg: unknown[]) => write(LogLevel.WARN, msg),
    error: (...msg: unknown[]) => write(LogLevel.ERROR, msg),
    setLevel: (next: LogLevel) => {
      level = levelOf(next);
    },
    getLevel: () => level,
    setName: (next: string) => {
      name = next;
    },
  };
}

function levelOf(level: string): LogLevel {
  const lower = String(level).toLowerCase();
  const found = Object.values(LogLevel).find((l) => l === lower);
  if (found === undefined) throw new RangeError(`Unknown log level "${level}": debug, info, warn or error`);
  return found;
}

/** As Bolt's ConsoleLogger writes: `[INFO]  name message`, then the fields as key=value. */
function textLine(
  at: LogLevel,
  name: string,
  words: unknown[],
  fields: Record<string, unknown> | undefined,
  stack: boolean,
): string {
  const parts = [`[${at.toUpperCase()}] `];
  if (name) parts.push(name);
  const message = words.map((w) => textOf(w, stack)).join(' ');
  if (message) parts.push(message);
  for (const [key, value] of Object.entries(fields ?? {})) {
    if (value === undefined) continue;
    const text = typeof value === 'string' ? value : textOf(value, stack);
    parts.push(`${key}=${/^[^\s"=]+$/.test(text) ? text : JSON.stringify(text)}`);
  }
  return redact(parts.join(' '));
}

/** One JSON object: time, level, name, msg, then the fields (which cannot replace those four). */
function jsonLine(
  at: LogLevel,
  name: string,
  words: unknown[],
  fields: Record<string, unknown> | undefined,
  stack: boolean,
): string {
  const { time: _t, level: _l, name: _n, msg, ...rest } = fields ?? {};
  const message = words.length > 0 ? words.map((w) => textOf(w, stack)).join(' ') : textOf(msg ?? '', stack);
  const line = {
    time: new Date().toISOString(),
    level: at,
    ...(name ? { name } : {}),
    msg: message,
    ...rest,
  };
  const replacer = (_key: string, value: unknown) => {
    if (typeof value === 'string') return redact(value);
    if (value instanceof Error) return redact(textOf(value, stack));
    if (typeof value === 'bigint') return value.toString();
    return value;
  };
  try {
    return JSON.stringify(line, replacer);
  } catch {
    // A circular value among the fields: written as text instead of dropped.
    const { time, level, msg: text } = line;
    const fallback = { time, level, ...(name ? { name } : {}), msg: text, fields: inspect(rest, INSPECT) };
    return JSON.stringify(fallback, replacer);
  }
}

/** A value as log text: strings as they are, an Error as its message (and stack), the rest inspected on one line. */
function textOf(value: unknown, stack: boolean): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return stack && value.stack ? value.stack : value.message;
  return inspect(value, INSPECT);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

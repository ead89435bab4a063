import { App, LogLevel } from '@slack/bolt';
import { createLogger, type LoggerOptions, redact } from '../src/logging';

/** A logger writing into an array of lines. */
function capture(options: LoggerOptions) {
  const lines: string[] = [];
  let partial = '';
  const logger = createLogger(options, {
    write: (text: string) => {
      partial += text;
      const parts = partial.split('\n');
      partial = parts.pop() ?? '';
      lines.push(...parts);
    },
  });
  return { logger, lines, json: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

// Made-up secrets of each kind, shaped as the real ones are.
const SECRETS = {
  'a bot token': 'xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx',
  'a user token': 'xoxp-1234567890-0987654321-1122334455-abcdef0123456789abcdef0123456789',
  'an app-level token': 'xapp-1-A0123456789-1234567890123-abcdef0123456789abcdef',
  'a refresh token': 'xoxe-1-My0xLTEyMzQ1Njc4OTAtYWJjZGVm',
  'a rotated token': 'xoxe.xoxp-1-Mi0yLTEyMzQ1Njc4OTAtYWJj',
  'a fine-grained GitHub token':
    'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJK',
  'a classic GitHub token': 'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
  'a GitHub App installation token': 'ghs_abcdefghijklmnopqrstuvwxyz0123456789',
};

describe('createLogger', () => {
  describe('json', () => {
    it('writes one object a line: time, level, name and message', () => {
      const { logger, lines, json } = capture({ format: 'json', level: 'info' });
      logger.info('now serving on port', 3000);
      logger.setName('bolt-app');
      logger.warn('slow');

      expect(lines).toHaveLength(2);
      const [first, second] = json();
      expect(first).toStrictEqual({
        time: expect.any(String),
        level: 'info',
        msg: 'now serving on port 3000',
      });
      expect(new Date(first!.time as string).toISOString()).toBe(first!.time);
      expect(second).toStrictEqual({
        time: expect.any(String),
        level: 'warn',
        name: 'bolt-app',
        msg: 'slow',
      });
      expect(Object.keys(second!)).toStrictEqual(['time', 'level', 'name', 'msg']);
    });

    it('merges the fields of a plain object given first, which cannot replace time, level or name', () => {
      const { logger, json } = capture({ format: 'json', level: 'info', name: 'roundup' });
      logger.info({ method: 'POST', status: 200, ms: 3.1, level: 'debug', name: 'x' }, 'request');
      logger.info({ msg: 'from the fields', count: 2 });

      expect(json()).toStrictEqual([
        {
          time: expect.any(String),
          level: 'info',
          name: 'roundup',
          msg: 'request',
          method: 'POST',
          status: 200,
          ms: 3.1,
        },
        { time: expect.any(String), level: 'info', name: 'roundup', msg: 'from the fields', count: 2 },
      ]);
    });

    it('writes an object that is not plain, or not first, as text in the message', () => {
      const { logger, json } = capture({ format: 'json', level: 'info' });
      logger.info('payload', { type: 'view_submission' });
      logger.info(new Map([['a', 1]]));

      expect(json().map((l) => l.msg)).toStrictEqual([
        "payload { type: 'view_submission' }",
        "Map(1) { 'a' => 1 }",
      ]);
    });

    it('writes an Error as its message, and its stack only at debug', () => {
      const info = capture({ format: 'json', level: 'info' });
      info.logger.error('failed:', new Error('channel_not_found'));
      info.logger.error({ error: new TypeError('bad') }, 'failed');
      expect(info.json()).toStrictEqual([
        { time: expect.any(String), level: 'error', msg: 'failed: channel_not_found' },
        { time: expect.any(String), level: 'error', msg: 'failed', error: 'bad' },
      ]);

      const debug = capture({ format: 'json', level: 'debug' });
      debug.logger.error(new Error('channel_not_found'));
      const [line] = debug.json();
      expect(line!.msg).toMatch(/^Error: channel_not_found\n\s+at /);
      expect(debug.lines).toHaveLength(1);
    });

    it('still writes a line whose fields are circular', () => {
      const { logger, json } = capture({ format: 'json', level: 'info' });
      const loop: Record<string, unknown> = { id: 'a' };
      loop.self = loop;
      logger.info({ loop }, 'odd');
      expect(json()).toStrictEqual([
        { time: expect.any(String), level: 'info', msg: 'odd', fields: expect.stringContaining("id: 'a'") },
      ]);
    });
  });

  describe('text', () => {
    it("writes lines as Bolt's console logger does", () => {
      const { logger, lines } = capture({ format: 'text', level: 'debug' });
      logger.info('now serving');
      logger.setName('bolt-app');
      logger.debug('a debug line', { id: 1 });
      logger.warn('careful');
      logger.error('failed');

      expect(lines).toStrictEqual([
        '[INFO]  now serving',
        '[DEBUG]  bolt-app a debug line { id: 1 }',
        '[WARN]  bolt-app careful',
        '[ERROR]  bolt-app failed',
      ]);
    });

    it('writes the fields of a plain object given first as key=value after the message', () => {
      const { logger, lines } = capture({ format: 'text', level: 'info' });
      logger.info({ method: 'POST', path: '/slack/events', status: 200, error: 'not in channel' }, 'request');
      expect(lines).toStrictEqual([
        '[INFO]  request method=POST path=/slack/events status=200 error="not in channel"',
      ]);
    });

    it('writes an Error as its message, and its stack only at debug', () => {
      const info = capture({ format: 'text', level: 'info' });
      info.logger.error('failed:', new Error('channel_not_found'));
      expect(info.lines).toStrictEqual(['[ERROR]  failed: channel_not_found']);

      const debug = capture({ format: 'text', level: 'debug' });
      debug.logger.error('failed:', new Error('channel_not_found'));
      expect(debug.lines[0]).toBe('[ERROR]  failed: Error: channel_not_found');
      expect(debug.lines[1]).toMatch(/^\s+at /);
    });
  });

  it('writes nothing below its level, and setLevel changes it', () => {
    const { logger, lines } = capture({ format: 'text', level: 'warn' });
    expect(logger.getLevel()).toBe(LogLevel.WARN);
    logger.debug('no');
    logger.info('no');
    logger.warn('yes');
    logger.setLevel(LogLevel.ERROR);
    logger.warn('no');
    logger.error('yes');
    logger.setLevel(LogLevel.DEBUG);
    logger.debug('yes');
    expect(lines).toStrictEqual(['[WARN]  yes', '[ERROR]  yes', '[DEBUG]  yes']);
    expect(logger.getLevel()).toBe(LogLevel.DEBUG);
  });

  describe.each(['json', 'text'] as const)('redacts secrets (%s)', (format) => {
    it.each(Object.entries(SECRETS))('%s, in the message and in the fields', (_kind, secret) => {
      const { logger, lines } = capture({ format, level: 'info' });
      logger.info(`calling with ${secret}.`);
      logger.info({ token: secret, nested: { list: [`x ${secret}`] } }, 'fields');
      logger.error(new Error(`An API error occurred: invalid_auth for ${secret}`));
      logger.info('an object', { headers: { authorization: secret } });

      expect(lines).toHaveLength(4);
      for (const line of lines) {
        expect(line).not.toContain(secret);
        expect(line).toContain('[redacted]');
      }
      if (format === 'json') expect(JSON.parse(lines[0]!).msg).toBe('calling with [redacted].');
    });

    it('a Bearer token, the password of a PostgreSQL URL, and OAuth values in a query string', () => {
      const { logger, lines } = capture({ format, level: 'info' });
      logger.info('authorization: Bearer abc.def-ghi');
      logger.warn('connecting to postgres://roundup:s3cr%40t@db.internal:5432/roundup failed');
      logger.warn('push to https://x-access-token:gho_secret@github.com/org/site.git failed');
      logger.info('GET /slack/oauth_redirect?code=12345.6789&state=abc-def');
      logger.info('token exchange body: client_id=123.456&client_secret=0123abcd&code=999');
      logger.info('GET /talk/edit?link=rtl_eyJ2IjoxfQ.c2lnbmF0dXJl&saved=1');
      logger.info('a speaker link rtl_eyJ2IjoxfQ.c2lnbmF0dXJl was refused');

      const text = lines.join('\n');
      for (const secret of [
        'abc.def-ghi',
        's3cr%40t',
        'gho_secret',
        '12345.6789',
        'abc-def',
        '0123abcd',
        '999',
        'eyJ2IjoxfQ',
      ])
        expect(text).not.toContain(secret);
      const messages = format === 'json' ? lines.map((l) => JSON.parse(l).msg as string) : lines;
      expect(messages.map((m) => m.replace(/^\[\w+\] {2}/, ''))).toStrictEqual([
        'authorization: Bearer [redacted]',
        'connecting to postgres://roundup:[redacted]@db.internal:5432/roundup failed',
        'push to https://x-access-token:[redacted]@github.com/org/site.git failed',
        'GET /slack/oauth_redirect?code=[redacted]&state=[redacted]',
        'token exchange body: client_id=123.456&client_secret=[redacted]&code=[redacted]',
        'GET /talk/edit?link=[redacted]&saved=1',
        'a speaker link [redacted] was refused',
      ]);
    });
  });

  it('leaves ordinary text alone', () => {
    const text =
      'POST /slack/events 200 in 3.1 ms: view_submission talk_form for T0TEAMA (error code=42 in state ok)';
    expect(redact(text)).toBe(text);
  });

  it('is a logger Bolt takes, which Bolt sets to the level it is given', () => {
    const { logger, json } = capture({ format: 'json', level: 'info' });
    const app = new App({
      token: SECRETS['a bot token'],
      signingSecret: '8f742231b10e8888abcd99aaaa85a5a1',
      logger,
      logLevel: LogLevel.WARN,
      tokenVerificationEnabled: false,
      botId: 'B0BOT',
      botUserId: 'U0BOT',
    });
    expect(app.logger).toBe(logger);
    expect(logger.getLevel()).toBe(LogLevel.WARN);
    app.logger.warn(`token ${SECRETS['a bot token']}`);
    expect(json().at(-1)?.msg).toBe('token [redacted]');
  });
});

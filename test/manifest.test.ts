import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { REDIRECT_PATH } from '../src/slack/install-pages';
import { SUBCOMMANDS } from '../src/slack/listeners/commands/roundup';
import { BOT_SCOPES } from '../src/slack/scopes';
import * as ids from '../src/slack/views/ids';
import { eventually, FAKE_DEFAULTS, TestBot } from './support/bot';
import { loadRoundup, REPO } from './support/fixtures';
import { playEvening, talkValues } from './support/organiser-evening';

interface Manifest {
  features: {
    slash_commands: Array<{ command: string; usage_hint: string; should_escape: boolean; url?: string }>;
    app_home: Record<string, boolean>;
    shortcuts?: Array<{ name: string; type: string; callback_id: string; description: string }>;
  };
  oauth_config: { scopes: { bot: string[] }; redirect_urls?: string[] };
  settings: {
    event_subscriptions: { bot_events: string[]; request_url?: string };
    interactivity: { is_enabled: boolean; request_url?: string; message_menu_options_url?: string };
    socket_mode_enabled: boolean;
    org_deploy_enabled: boolean;
  };
}

const read = (file: string) => parse(fs.readFileSync(path.join(REPO, file), 'utf8')) as Manifest;
const manifest = read('manifest.yml');
/** Every way to run it: one workspace over HTTP, many installed by OAuth, and Socket Mode. */
const MANIFESTS = ['manifest.yml', 'manifest.distributed.yml', 'manifest.socket-mode.yml'] as const;

/** The events the bot listens to, read from where the listeners are registered. */
function eventsInSource(): string[] {
  const text = fs.readFileSync(path.join(REPO, 'src/slack/listeners/index.ts'), 'utf8');
  return [...text.matchAll(/app\.event\('(\w+)'/g)].map((m) => m[1] as string);
}

/** The bot scopes each Web API method needs, for the kinds of conversation the bot uses it on. */
const SCOPES_OF: Record<string, string[]> = {
  'chat.postMessage': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.delete': ['chat:write'],
  'files.info': ['files:read'],
  'files.getUploadURLExternal': ['files:write'],
  'files.completeUploadExternal': ['files:write'],
  'conversations.open': ['im:write'],
  // Public and private channels (reminders) and DMs (speakers' nudges).
  'conversations.history': ['channels:history', 'groups:history', 'im:history'],
  'conversations.join': ['channels:join'],
  'views.open': [],
  'views.push': [],
  'views.update': [],
  'views.publish': [],
  'auth.test': [],
};

/** Web API methods the source calls, read from `client.<family>.<method>(` and `filesUploadV2(`. */
function methodsInSource(): string[] {
  const found = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (file.endsWith('.ts')) {
        const text = fs.readFileSync(file, 'utf8').replace(/\s+/g, '');
        for (const m of text.matchAll(/client\.(chat|files|conversations|views|auth|users)\.(\w+)\(/g)) {
          found.add(`${m[1]}.${m[2]}`);
        }
        if (text.includes('filesUploadV2(')) {
          found.add('files.getUploadURLExternal');
          found.add('files.completeUploadExternal');
        }
      }
    }
  };
  walk(path.join(REPO, 'src'));
  return [...found].sort();
}

describe('manifest.yml', () => {
  it('offers every subcommand in the usage hint and escapes mentions for /roundup ask', () => {
    const [command] = manifest.features.slash_commands;
    expect(command?.command).toBe('/roundup');
    for (const sub of SUBCOMMANDS) expect(command?.usage_hint).toContain(sub.name);
    expect(command?.should_escape).toBe(true);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(eventsInSource());
  });

  it('asks for exactly the scopes of the Web API methods the source calls', () => {
    const methods = methodsInSource();
    expect(methods.filter((m) => !(m in SCOPES_OF))).toEqual([]);
    const needed = new Set(['commands', ...methods.flatMap((m) => SCOPES_OF[m] ?? [])]);
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
  });

  it('knows the scope of every method the bot calls over a whole evening', async () => {
    const bot = await TestBot.start();
    try {
      const november = loadRoundup('2018-11-cloud-native-london');
      await playEvening(bot, november);
      const file = bot.slack.addPrivateFile({
        name: 'p.png',
        mimetype: 'image/png',
        bytes: Buffer.from('89504e470d0a1a0a0000', 'hex'),
      });
      const ref = { id: file.id, name: 'p.png', mimetype: 'image/png' }; // no URL: the bot asks files.info
      await bot.submit(
        await bot.open('talk 1'),
        talkValues({ ...november.meetup.talks[0]!, photo: undefined }, ref),
      );
      // The download and what follows it (the refusal of these bytes, told to the organiser).
      await bot.settled();
      expect(bot.slack.downloads.length).toBe(1);
      const { responseUrl } = await bot.command('export');
      await bot.responseTo(responseUrl, (t) => t.includes('direct messages'));
      await bot.event({
        type: 'app_home_opened',
        user: FAKE_DEFAULTS.userId,
        channel: 'D0HOME0001',
        tab: 'home',
      });
      await eventually(() => expect(bot.slack.homeView(FAKE_DEFAULTS.userId)).toBeDefined());

      const called = [...new Set(bot.slack.calls.map((c) => c.method))].filter((m) => m !== 'upload_url');
      expect(called.filter((m) => !(m in SCOPES_OF))).toEqual([]);
      expect(called.filter((m) => !methodsInSource().includes(m))).toEqual([]);
    } finally {
      await bot.stop();
    }
  });

  it('gives each scope a reason', () => {
    const text = fs.readFileSync(path.join(REPO, 'manifest.yml'), 'utf8');
    for (const scope of manifest.oauth_config.scopes.bot)
      expect(text).toMatch(new RegExp(`- ${scope} # \\S`));
  });
});

describe.each(MANIFESTS)('%s', (file) => {
  const m = read(file);

  it('asks for the scopes an install asks for, subscribes to every event the bot handles, and has the same command', () => {
    expect(m.oauth_config.scopes.bot).toEqual([...BOT_SCOPES]);
    expect(m.settings.event_subscriptions.bot_events).toEqual(eventsInSource());
    expect(m.features.slash_commands).toEqual(
      manifest.features.slash_commands
        .map((c) => (m.settings.socket_mode_enabled ? { ...c, url: undefined } : c))
        .map((c) => JSON.parse(JSON.stringify(c))),
    );
    expect(m.settings.org_deploy_enabled).toBe(false);
  });

  it('points Slack at the bot’s endpoints over HTTP, or at none in Socket Mode', () => {
    const urls = [
      ...m.features.slash_commands.map((c) => c.url),
      m.settings.event_subscriptions.request_url,
      m.settings.interactivity.request_url,
      // The external selects' options (the time zone list) come from the same endpoint.
      m.settings.interactivity.message_menu_options_url,
    ];
    if (file === 'manifest.socket-mode.yml') {
      expect(m.settings.socket_mode_enabled).toBe(true);
      expect(urls.filter(Boolean)).toEqual([]);
    } else {
      expect(m.settings.socket_mode_enabled).toBe(false);
      for (const url of urls) expect(url).toBe('https://roundup.example.org/slack/events');
    }
  });

  it('has the OAuth redirect URL the install pages serve only where roundup is installed by OAuth', () => {
    if (file === 'manifest.distributed.yml')
      expect(m.oauth_config.redirect_urls).toEqual([`https://roundup.example.org${REDIRECT_PATH}`]);
    else expect(m.oauth_config.redirect_urls).toBeUndefined();
  });

  it('lists every shortcut the bot registers, by its callback_id, as a message shortcut with a name and description', () => {
    const listed = (m.features.shortcuts ?? []).map((s) => s.callback_id).sort();
    expect(listed).toEqual(shortcutsInSource().sort());
    for (const shortcut of m.features.shortcuts ?? []) {
      expect(shortcut.type).toBe('message');
      expect(shortcut.name.length).toBeGreaterThan(0);
      expect(shortcut.description.length).toBeGreaterThan(0);
      expect(shortcut.description.length).toBeLessThanOrEqual(80);
    }
    expect(m.features.shortcuts).toContainEqual(
      expect.objectContaining({ name: 'Add to roundup', callback_id: 'add_to_roundup' }),
    );
    // A shortcut comes with the commands scope.
    expect(m.oauth_config.scopes.bot).toContain('commands');
  });
});

/** The callback_ids of the shortcuts registered with `app.shortcut(<CONSTANT>.<key>, ...)`, read from the source. */
function shortcutsInSource(): string[] {
  const text = fs.readFileSync(path.join(REPO, 'src/slack/listeners/index.ts'), 'utf8');
  const constants = ids as unknown as Record<string, Record<string, string>>;
  return [...text.matchAll(/app\.shortcut\((\w+)\.(\w+)/g)].map((m) => {
    const value = constants[m[1] as string]?.[m[2] as string];
    if (!value) throw new Error(`${m[1]}.${m[2]} is not a constant of src/slack/views/ids.ts`);
    return value;
  });
}

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../src/cli/run-cli';
import { REPO, readFixture, roundupJson } from '../support/fixtures';

/** Runs the real command in-process with captured output, in a fresh working folder. */
async function roundup(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    cwd,
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
  });
  return { code, stdout, stderr };
}

// A few bytes that begin like a JPEG and a PNG file.
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('roundup render', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roundup-cli-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, content: unknown) => {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(
      file,
      typeof content === 'string' || Buffer.isBuffer(content) ? content : JSON.stringify(content),
    );
    return file;
  };

  it('prints the example meetup as the reference post', async () => {
    const result = await roundup(
      ['render', path.join(REPO, 'examples', 'cloud-native-london-november-2018.json')],
      dir,
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(
      readFixture('posts/2018-11-07-cloud-native-london-november-2018.md')
        .replace('â€™', '’')
        .replace(/ +$/gm, '')
        .replace(/\n{3,}/g, '\n\n'),
    );
  });

  it('writes the post and its stored photos laid out like the site with --out', async () => {
    const json = roundupJson('2018-11-cloud-native-london');
    (json.meetup as Record<string, unknown>).headerPhoto = {
      stored: { file: 'photos/header.jpg', mimeType: 'image/jpeg' },
    };
    (json.meetup.talks as Record<string, unknown>[])[1]!.photo = {
      stored: { file: 'photos/tom.png', mimeType: 'image/png' },
    };
    write('meetup.json', json);
    write('photos/header.jpg', JPEG);
    write('photos/tom.png', PNG);

    const result = await roundup(['render', 'meetup.json', '--out', 'site'], dir);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const post = fs.readFileSync(
      path.join(dir, 'site/_posts/2018-11-07-cloud-native-london-november-2018.md'),
      'utf8',
    );
    expect(post).toContain(
      '![Cloud Native London November](/images/2018-11-07-cloud-native-london-november-2018.jpeg)',
    );
    expect(post).toContain('![Tom Wilkie](/images/2018-11-07-cloud-native-london-november-2018-2.png)');
    expect(
      fs.readFileSync(path.join(dir, 'site/images/2018-11-07-cloud-native-london-november-2018.jpeg')),
    ).toEqual(JPEG);
    expect(
      fs.readFileSync(path.join(dir, 'site/images/2018-11-07-cloud-native-london-november-2018-2.png')),
    ).toEqual(PNG);
    expect(result.stdout).toBe(
      [
        'wrote site/_posts/2018-11-07-cloud-native-london-november-2018.md',
        'wrote site/images/2018-11-07-cloud-native-london-november-2018.jpeg',
        'wrote site/images/2018-11-07-cloud-native-london-november-2018-2.png',
        '',
      ].join('\n'),
    );
  });

  it('renders with the modern template or a template file when asked', async () => {
    write('meetup.json', roundupJson('2018-12-cloud-native-london'));
    const modern = await roundup(['render', 'meetup.json', '--template', 'modern'], dir);
    expect(modern.code).toBe(0);
    expect(modern.stdout).toContain(
      'title: "Cloud Native London December 2018: Paybase, DNEG (formerly known as Double Negative), and Control Plane"',
    );
    write('mine.liquid', '{{ talks.size }} talks in {{ month }}');
    const own = await roundup(['render', 'meetup.json', '--template', 'mine.liquid'], dir);
    expect(own).toEqual({ code: 0, stdout: '3 talks in December\n', stderr: '' });
  });

  it('reports invalid data with the JSON path of each problem and exits 1', async () => {
    const json = roundupJson('2018-11-cloud-native-london');
    (json.meetup.talks as Record<string, unknown>[])[2]!.title = '';
    (json.meetup as Record<string, unknown>).date = '7 Nov 2018';
    write('meetup.json', json);
    const result = await roundup(['render', 'meetup.json', '--out', 'site'], dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      [
        'roundup render: meetup.json has 2 problems:',
        '  meetup.date: must be a real date written YYYY-MM-DD, for example 2018-11-07',
        '  meetup.talks[2].title: is empty',
        '',
      ].join('\n'),
    );
    expect(fs.existsSync(path.join(dir, 'site'))).toBe(false);
  });

  it('says what is wrong with a value of the wrong type, and keeps "is missing" for what is absent', async () => {
    const json = roundupJson('2018-11-cloud-native-london');
    const meetup = json.meetup as Record<string, unknown>;
    meetup.date = 20181107;
    meetup.startTime = 1830;
    meetup.venue = 'Monzo';
    (json.group as Record<string, unknown>).sponsors = { name: 'Pusher' };
    const talks = json.meetup.talks as Record<string, unknown>[];
    talks[0]!.title = 42;
    talks[1]!.speakers = [null];
    delete talks[2]!.title;
    write('meetup.json', json);
    const typed = await roundup(['render', 'meetup.json'], dir);
    expect(typed.code).toBe(1);
    expect(typed.stdout).toBe('');
    expect(typed.stderr.split('\n').sort()).toEqual(
      [
        '',
        'roundup render: meetup.json has 7 problems:',
        '  group.sponsors: must be a list',
        '  meetup.date: must be a date written in quotes, for example "2018-11-07"',
        '  meetup.startTime: must be a time written in quotes, for example "18:30"',
        '  meetup.venue: must be an object, in { }',
        '  meetup.talks[0].title: must be text',
        '  meetup.talks[1].speakers[0]: must be an object, in { }',
        '  meetup.talks[2].title: is missing',
      ].sort(),
    );

    const three = roundupJson('2018-11-cloud-native-london');
    (three.meetup as Record<string, unknown>).talks = 'three';
    write('talks.json', three);
    expect((await roundup(['render', 'talks.json'], dir)).stderr).toBe(
      'roundup render: talks.json has 1 problem:\n  meetup.talks: must be a list\n',
    );
  });

  it('refuses a meetup of 21 talks, as the bot and its store do', async () => {
    const json = roundupJson('2018-11-cloud-native-london');
    const [talk] = json.meetup.talks as Record<string, unknown>[];
    (json.meetup as Record<string, unknown>).talks = Array.from({ length: 21 }, () => talk);
    write('meetup.json', json);
    expect(await roundup(['render', 'meetup.json'], dir)).toEqual({
      code: 1,
      stdout: '',
      stderr: 'roundup render: meetup.json has 1 problem:\n  meetup.talks: has more than 20 talks\n',
    });
  });

  it('reports broken JSON with its line and column', async () => {
    write('broken.json', '{\n  "group": {\n    "name": "x",\n  }\n}');
    const result = await roundup(['render', 'broken.json'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^roundup render: broken\.json is not valid JSON: .* at line 4, column 3\n$/,
    );
  });

  it('names a missing file, a missing stored photo and a bad template, writing nothing', async () => {
    expect((await roundup(['render', 'absent.json'], dir)).stderr).toBe(
      'roundup render: cannot read absent.json: there is no such file\n',
    );
    const json = roundupJson('2018-11-cloud-native-london');
    (json.meetup as Record<string, unknown>).headerPhoto = {
      stored: { file: 'photos/gone.jpg', mimeType: 'image/jpeg' },
    };
    write('meetup.json', json);
    const missing = await roundup(['render', 'meetup.json', '--out', 'site'], dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(path.join(dir, 'photos', 'gone.jpg'));
    expect(fs.existsSync(path.join(dir, 'site'))).toBe(false);
    const template = await roundup(['render', 'meetup.json', '--template', 'fancy'], dir);
    expect(template.code).toBe(1);
    expect(template.stderr).toContain('template "');
    expect(template.stderr).toContain('is neither classic nor modern');
  });

  it('explains its usage on a bad command line and exits 2', async () => {
    const none = await roundup([], dir);
    expect(none.code).toBe(2);
    expect(none.stdout).toContain('Usage: roundup render <meetup.json>');
    const unknown = await roundup(['deploy'], dir);
    expect(unknown).toMatchObject({ code: 2 });
    expect(unknown.stderr).toContain('unknown command "deploy"');
    const flag = await roundup(['render', 'x.json', '--colour'], dir);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("Unknown option '--colour'");
    const two = await roundup(['render', 'a.json', 'b.json'], dir);
    expect(two.stderr).toContain('give exactly one meetup JSON file');
  });
});

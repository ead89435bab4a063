import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO } from './support/fixtures';

/** A systemd unit: each section's keys, each with its values in order (a key may be given several times). */
type Unit = Record<string, Record<string, string[]>>;

function parseUnit(text: string): Unit {
  const unit: Unit = {};
  let section: Record<string, string[]> | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = unit[header[1]!] ?? {};
      unit[header[1]!] = section;
      continue;
    }
    const eq = line.indexOf('=');
    if (section === undefined || eq === -1) throw new Error(`not a unit line: ${line}`);
    const key = line.slice(0, eq).trim();
    section[key] = [...(section[key] ?? []), line.slice(eq + 1).trim()];
  }
  return unit;
}

const UNIT_FILE = path.join(REPO, 'deploy', 'roundup.service');
const unitText = fs.readFileSync(UNIT_FILE, 'utf8');
const unit = parseUnit(unitText);
const service = unit.Service ?? {};
/** The last value of a [Service] key, as systemd takes it. */
const setting = (key: string) => service[key]?.at(-1);

/** The README's "Running it in production" section. */
function productionSection(): string {
  const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Running it in production\n');
  expect(start).toBeGreaterThan(-1);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

/** The example environment file in that section: the code block that begins `# /etc/roundup/roundup.env`. */
function exampleEnvFile(): string[] {
  const blocks = [...productionSection().matchAll(/```\w*\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const block = blocks.find((b) => b.startsWith(`# ${setting('EnvironmentFile')}\n`));
  expect(block).toBeDefined();
  return block!.split('\n').filter((l) => /^[A-Z_]+=/.test(l));
}

describe('deploy/roundup.service', () => {
  it('runs, from its working folder, the file `npm run build` produces (what npm start runs)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
    const [node, script, ...extra] = setting('ExecStart')!.split(/\s+/);
    expect(path.isAbsolute(node!)).toBe(true);
    expect(path.basename(node!)).toBe('node');
    expect(extra).toStrictEqual([]);
    expect(setting('WorkingDirectory')).toBe('/opt/roundup');
    expect(path.isAbsolute(script!)).toBe(false);
    expect(pkg.scripts.start).toBe(`node ${script}`);

    // The build compiles src/ into dist/ with tsconfig.build.json: dist/app.js comes from src/app.ts.
    expect(pkg.scripts.build).toMatch(/^tsc -p tsconfig\.build\.json\b/);
    const build = JSON.parse(fs.readFileSync(path.join(REPO, 'tsconfig.build.json'), 'utf8'));
    const { rootDir, outDir } = build.compilerOptions;
    const relative = path.relative(outDir, script!);
    expect(relative.startsWith('..')).toBe(false);
    const sourceFile = path.join(REPO, rootDir, relative.replace(/\.js$/, '.ts'));
    expect(fs.existsSync(sourceFile)).toBe(true);
    // And it is the program that starts the bot, not a module that only exports.
    expect(fs.readFileSync(sourceFile, 'utf8')).toContain('require.main === module');
  });

  it('reads the environment file the README shows, whose every variable the bot reads', () => {
    expect(setting('EnvironmentFile')).toBe('/etc/roundup/roundup.env');
    const config = fs.readFileSync(path.join(REPO, 'src', 'config.ts'), 'utf8');
    const read = new Set([...config.matchAll(/value\('([A-Z_]+)'\)/g)].map((m) => m[1]));
    const names = exampleEnvFile().map((l) => l.slice(0, l.indexOf('=')));
    expect(names).toEqual(expect.arrayContaining(['SLACK_BOT_TOKEN', 'DATABASE_URL']));
    for (const name of names) expect({ name, read: read.has(name) }).toStrictEqual({ name, read: true });
  });

  it('lets the bot write where the example puts the database, and nowhere else of the system', () => {
    const database = exampleEnvFile()
      .find((l) => l.startsWith('DATABASE_URL='))!
      .slice('DATABASE_URL='.length);
    const writable = service.ReadWritePaths!.join(' ').split(/\s+/);
    expect(writable.some((dir) => path.dirname(database) === dir)).toBe(true);
    expect(setting('ProtectSystem')).toBe('strict');
    expect(setting('StateDirectory')).toBe(path.basename(path.dirname(database)));
  });

  it('stops with SIGTERM, which the bot handles by finishing its work, and gives it time to', () => {
    expect(setting('KillSignal')).toBe('SIGTERM');
    expect(fs.readFileSync(path.join(REPO, 'src', 'app.ts'), 'utf8')).toMatch(/process\.once\('SIGTERM'/);
    const timeout = Number(/^(\d+)s?$/.exec(setting('TimeoutStopSec') ?? '')?.[1]);
    // Past the longest Slack call with its retries (about ten seconds) and a push to the site.
    expect(timeout).toBeGreaterThanOrEqual(30);
  });

  it('runs as an unprivileged user, and restarts after a failure', () => {
    for (const key of ['User', 'Group']) {
      expect(setting(key)).toBeDefined();
      expect(['root', '0']).not.toContain(setting(key));
    }
    expect(setting('Restart')).toBe('on-failure');
    expect(Number(setting('RestartSec'))).toBeGreaterThan(0);
    expect(setting('NoNewPrivileges')).toBe('yes');
    expect(setting('PrivateTmp')).toBe('yes');
    expect(setting('ProtectHome')).toBe('yes');
    expect(setting('CapabilityBoundingSet')).toBe('');
  });

  it('starts once the network is up', () => {
    expect(unit.Unit?.After).toContain('network-online.target');
    expect(unit.Unit?.Wants).toContain('network-online.target');
    expect(unit.Install?.WantedBy).toContain('multi-user.target');
  });

  const analyze = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
  // CI installs systemd: there a missing systemd-analyze fails the check instead of skipping it.
  const verify = analyze.status === 0 || process.env.CI ? it : it.skip;
  verify(
    `passes systemd-analyze verify${analyze.status === 0 ? '' : ' (skipped: systemd-analyze is not on this machine)'}`,
    () => {
      // The unit as installed on a machine whose node is the one running this test.
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roundup-unit-'));
      try {
        const copy = path.join(dir, 'roundup.service');
        const node = setting('ExecStart')!.split(/\s+/)[0]!;
        fs.writeFileSync(copy, unitText.replace(`ExecStart=${node} `, `ExecStart=${process.execPath} `));
        const result = spawnSync('systemd-analyze', ['verify', copy], { encoding: 'utf8' });
        // verify warns of an unknown key on standard error but still exits 0: both count.
        expect({ status: result.status, stderr: result.stderr }).toStrictEqual({ status: 0, stderr: '' });
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

describe('LICENSE', () => {
  it('is the MIT licence package.json names', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
    const license = fs.readFileSync(path.join(REPO, 'LICENSE'), 'utf8');
    expect(pkg.license).toBe('MIT');
    expect(license).toMatch(/^MIT License\n\nCopyright \(c\) 2026 the roundup contributors\n/);
    expect(license).toContain('THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND');
  });
});

it("the test's unit parser keeps every value of a key given several times, and skips comments", () => {
  expect(parseUnit('[Service]\n# c\nEnvironment=A=1\nEnvironment=B=2\nUser=x\n')).toStrictEqual({
    Service: { Environment: ['A=1', 'B=2'], User: ['x'] },
  });
});

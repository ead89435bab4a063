import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../../src/cli/run-cli';
import { openStore } from '../../src/store/sql-store';
import { fullGroup, meetupOn } from '../store/fixtures';
import { createTestDatabase, type TestDatabase } from '../support/backends';
import { describeEachBackend } from '../support/each-backend';

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

const GONE = 'T0GONE01';
const KEPT = 'T0KEPT02';

describeEachBackend('roundup forget-team', (backend) => {
  let db: TestDatabase;
  let dataDir: string;
  const photoCopy = (team: string, meetupId: string) =>
    path.join(dataDir, 'photos', team, meetupId, 'talk-1.jpeg');

  beforeEach(async () => {
    db = await createTestDatabase(backend.backend);
    dataDir = db.folder.dir;
  });
  afterEach(() => db.remove());

  /** A team with an installation, a group, a meetup, reminders and a photo, in the database and on disk. */
  async function team(teamId: string): Promise<string> {
    const store = await openStore(db.url);
    try {
      await store.saveInstallation({
        teamId,
        botToken: `xoxb-${teamId}`,
        botScopes: ['commands'],
        installerUserId: 'U0INSTALLER',
      });
      await store.saveGroup(teamId, fullGroup());
      const meetupId = (await store.createMeetup(teamId, meetupOn('2026-11-04', 'held'))).id;
      await store.syncReminders(teamId, meetupId, 'before:', [
        {
          kind: 'before:7',
          channel: 'C0COMMUNITY',
          eventDate: '2026-12-09',
          fireAt: '2026-12-02T10:00:00.000Z',
        },
      ]);
      const content = Buffer.from([0xff, 0xd8, 0xff, 0xe0]);
      await store.putPhotoFile(teamId, { meetupId, name: 'talk-1.jpeg', mimeType: 'image/jpeg', content });
      fs.mkdirSync(path.dirname(photoCopy(teamId, meetupId)), { recursive: true });
      fs.writeFileSync(photoCopy(teamId, meetupId), content);
      return meetupId;
    } finally {
      await store.close();
    }
  }

  it('deletes everything of one team, in the database and on this machine, and nothing of another', async () => {
    const gone = await team(GONE);
    const kept = await team(KEPT);
    const ran = await roundup(
      ['forget-team', GONE, '--yes', '--database', db.url, '--data-dir', dataDir],
      dataDir,
    );
    expect(ran).toMatchObject({ code: 0, stderr: '' });
    expect(ran.stdout).toContain(`Forgot ${GONE}`);

    const store = await openStore(db.url);
    try {
      expect(await store.getInstallation(GONE)).toBeUndefined();
      expect(await store.getGroup(GONE)).toBeUndefined();
      expect(await store.listMeetups(GONE)).toEqual([]);
      expect(await store.listReminders(GONE)).toEqual([]);
      expect(await store.getPhotoFile(GONE, gone, 'talk-1.jpeg')).toBeUndefined();
      expect(fs.existsSync(path.join(dataDir, 'photos', GONE))).toBe(false);

      expect(await store.getInstallation(KEPT)).toBeDefined();
      expect(await store.listReminders(KEPT)).toHaveLength(1);
      expect(await store.getPhotoFile(KEPT, kept, 'talk-1.jpeg')).toBeDefined();
      expect(fs.existsSync(photoCopy(KEPT, kept))).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('asks for --yes, refuses what is not a team id or a team it does not know, and deletes nothing then', async () => {
    await team(GONE);
    const where = ['--database', db.url, '--data-dir', dataDir];
    const noYes = await roundup(['forget-team', GONE, ...where], dataDir);
    expect(noYes.code).toBe(2);
    expect(noYes.stderr).toContain('cannot be undone; add --yes');
    const notAnId = await roundup(['forget-team', 'acme', '--yes', ...where], dataDir);
    expect(notAnId.code).toBe(1);
    expect(notAnId.stderr).toContain('"acme" is not a Slack team id');
    const unknown = await roundup(['forget-team', 'T0NOBODY', '--yes', ...where], dataDir);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('the database holds nothing of T0NOBODY');
    const store = await openStore(db.url);
    try {
      expect(await store.getInstallation(GONE)).toBeDefined();
    } finally {
      await store.close();
    }
    // The password of a PostgreSQL URL is never printed.
    const closed = await roundup(
      ['forget-team', GONE, '--yes', '--database', 'postgres://roundup:s3cret@127.0.0.1:1/x'],
      dataDir,
    );
    expect(closed.code).toBe(1);
    expect(closed.stderr).toContain('could not open the database');
    expect(closed.stderr).not.toContain('s3cret');
  });
});

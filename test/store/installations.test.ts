import { claim, finish } from '../../src/domain/reminder-lifecycle';
import { openStore, type SqlStore } from '../../src/store/sql-store';
import { createTestDatabase, type TestDatabase } from '../support/backends';
import { describeEachBackend } from '../support/each-backend';
import { fullGroup, meetupOn } from './fixtures';

const ACME = 'T0ACME';
const BETA = 'T0BETA';

const installation = (teamId: string, botToken: string) => ({
  teamId,
  teamName: `Team ${teamId}`,
  botToken,
  botId: `B${teamId}`,
  botUserId: `U${teamId}`,
  botScopes: ['commands', 'chat:write'],
  installerUserId: `U0INSTALLER${teamId}`,
});

describeEachBackend('installations, forgetting a team, and reminder outcomes', (backend) => {
  let db: TestDatabase;
  let store: SqlStore;

  beforeEach(async () => {
    db = await createTestDatabase(backend.backend);
    store = await openStore(db.url);
  });
  afterEach(async () => {
    await store.close();
    await db.remove();
  });

  async function withReminders(teamId: string, fireAt: string): Promise<string> {
    await store.saveGroup(teamId, fullGroup());
    const meetupId = (await store.createMeetup(teamId, meetupOn('2026-11-04', 'held'))).id;
    await store.syncReminders(teamId, meetupId, 'before:', [
      { kind: 'before:7', channel: 'C0COMMUNITY', eventDate: '2026-12-09', fireAt },
      { kind: 'before:1', channel: 'C0COMMUNITY', eventDate: '2026-12-09', fireAt },
    ]);
    return meetupId;
  }

  it('keeps an installation, and a re-install replaces its token and clears the uninstall', async () => {
    const first = await store.saveInstallation(installation(ACME, 'xoxb-first'));
    expect(first).toMatchObject({
      teamId: ACME,
      botToken: 'xoxb-first',
      botScopes: ['commands', 'chat:write'],
    });
    await store.uninstall(ACME);
    expect(await store.getInstallation(ACME)).toMatchObject({ uninstalledAt: expect.any(String) });
    expect((await store.getInstallation(ACME))?.botToken).toBeUndefined();
    const again = await store.saveInstallation(installation(ACME, 'xoxb-second'));
    expect(again.botToken).toBe('xoxb-second');
    expect(again.uninstalledAt).toBeUndefined();
    expect(again.installedAt).toBe(first.installedAt);
    expect(await store.getInstallation(BETA)).toBeUndefined();
  });

  it('an uninstall stops only that team’s pending reminders, as unplanned, and keeps its data', async () => {
    await store.saveInstallation(installation(ACME, 'xoxb-acme'));
    await store.saveInstallation(installation(BETA, 'xoxb-beta'));
    await withReminders(ACME, '2026-12-02T10:00:00.000Z');
    await withReminders(BETA, '2026-12-02T10:00:00.000Z');
    expect(await store.uninstall(BETA)).toBe(2);
    expect((await store.listReminders(BETA)).map((r) => [r.status, r.lastError])).toEqual([
      ['unplanned', 'roundup was removed from the workspace'],
      ['unplanned', 'roundup was removed from the workspace'],
    ]);
    expect((await store.listReminders(ACME)).map((r) => r.status)).toEqual(['pending', 'pending']);
    expect(await store.getGroup(BETA)).toBeDefined();
    expect((await store.getInstallation(ACME))?.botToken).toBe('xoxb-acme');
  });

  it('forgets everything of one team, photos included, and nothing of another', async () => {
    await store.saveInstallation(installation(ACME, 'xoxb-acme'));
    await store.saveInstallation(installation(BETA, 'xoxb-beta'));
    const acmeMeetup = await withReminders(ACME, '2026-12-02T10:00:00.000Z');
    const betaMeetup = await withReminders(BETA, '2026-12-02T10:00:00.000Z');
    const photo = {
      meetupId: acmeMeetup,
      name: 'talk-1-abcdef012345.jpeg',
      mimeType: 'image/jpeg',
      content: Buffer.from([1, 2, 3]),
    };
    await store.putPhotoFile(ACME, photo);
    await store.putPhotoFile(BETA, { ...photo, meetupId: betaMeetup });
    await store.claimDelivery(ACME, 'command:1');

    await store.forgetTeam(ACME);
    expect(await store.getInstallation(ACME)).toBeUndefined();
    expect(await store.getGroup(ACME)).toBeUndefined();
    expect(await store.listMeetups(ACME)).toEqual([]);
    expect(await store.listReminders(ACME)).toEqual([]);
    expect(await store.getPhotoFile(ACME, acmeMeetup, photo.name)).toBeUndefined();
    // A delivery key of the forgotten team is gone too: the same key is new again.
    expect(await store.claimDelivery(ACME, 'command:1')).toBe(true);

    expect(await store.getInstallation(BETA)).toBeDefined();
    expect(await store.listMeetups(BETA)).toHaveLength(1);
    expect(await store.getPhotoFile(BETA, betaMeetup, photo.name)).toBeDefined();
  });

  it('counts the reminders that failed or were skipped since a time, across teams', async () => {
    await withReminders(ACME, '2026-12-02T10:00:00.000Z');
    await withReminders(BETA, '2026-12-02T10:00:00.000Z');
    const since = new Date(Date.now() - 60_000).toISOString();
    const now = '2026-12-02T10:00:01.000Z';
    const claimed = await store.claimDueReminders(now, 3, claim('token', now));
    const [a, b, c] = claimed;
    await store.changeReminder(
      a?.id as string,
      finish('token', { status: 'failed', lastError: 'channel_not_found' }),
    );
    await store.changeReminder(
      b?.id as string,
      finish('token', { status: 'skipped', lastError: 'too late' }),
    );
    await store.changeReminder(
      c?.id as string,
      finish('token', { status: 'failed', lastError: 'is_archived' }),
    );
    expect(await store.countReminderOutcomes(since)).toEqual({ failed: 2, skipped: 1 });
    expect(await store.countReminderOutcomes(new Date(Date.now() + 60_000).toISOString())).toEqual({
      failed: 0,
      skipped: 0,
    });
  });
});

import { startReminderScheduler } from '../../src/scheduler/reminder-scheduler';
import { NEXT, SETUP } from '../../src/slack/views/ids';
import { FAKE_DEFAULTS, TestBot } from '../support/bot';
import { loadRoundup } from '../support/fixtures';
import { meetupValues, nextValues, setupValues } from '../support/organiser-evening';
import { input } from '../support/slack-requests';

describe('the reminder scheduler', () => {
  it('ticks as soon as it starts, catching up after downtime, and stops cleanly', async () => {
    let now = new Date('2026-11-05T12:00:00Z');
    const bot = await TestBot.start({ now: () => now });
    try {
      const november = loadRoundup('2018-11-cloud-native-london');
      const community = bot.slack.addChannel({ name: 'community' });
      const organisers = bot.slack.addChannel({ name: 'organisers' });
      await bot.submit(await bot.open('setup'), {
        ...setupValues(november, organisers, FAKE_DEFAULTS.userId),
        [SETUP.communityChannels]: input.conversations([community]),
      });
      await bot.submit(await bot.open('new'), meetupValues({ ...november.meetup, date: '2026-11-04' }));
      await bot.submit(await bot.open('next'), {
        ...nextValues(november.meetup),
        [NEXT.date]: input.date('2026-12-09'),
      });

      // The bot comes back up 30 minutes after the week-before reminder was due.
      now = new Date('2026-12-02T10:30:00Z');
      const scheduler = startReminderScheduler(bot.bot.deps);
      await bot.bot.deps.inFlight.drain();
      await scheduler.stop();
      const posted = bot.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === community);
      expect(posted.map((c) => String(c.args.text))).toEqual([
        expect.stringMatching(/^Cloud Native London is next week: Wednesday 9 December at 18:30/),
      ]);
    } finally {
      await bot.stop();
    }
  });
});

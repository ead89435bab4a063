import { runTick } from '../../src/services/reminders';
import { ACTION, ASK, MEETUP, NEXT, PHOTO, SETUP } from '../../src/slack/views/ids';
import { FAKE_DEFAULTS, TestBot } from '../support/bot';
import type { Json } from '../support/fake-slack';
import { loadRoundup } from '../support/fixtures';
import { meetupValues, nextValues, setupValues, talkValues } from '../support/organiser-evening';
import { input } from '../support/slack-requests';

const TEAM = FAKE_DEFAULTS.teamId;
const SPEAKER = 'U0SPEAK001';
const OUTSIDER = 'U0OTHER001';
/** Slack's special mentions: in a message's text (even its notification fallback) they ping a whole channel. */
const PINGS = /<!(?:channel|here|everyone)>/;

// A whole organiser's month of messages, through the forms and the scheduler's tick.
jest.setTimeout(20_000);

describe('the text of every message (what a phone notification shows)', () => {
  it('carries what organisers typed escaped, as the blocks do, so `<!channel>` in a venue pings nobody', async () => {
    let now = new Date('2026-11-04T21:00:00Z');
    const bot = await TestBot.start({ now: () => now, fake: { now: () => now.getTime() } });
    try {
      const november = loadRoundup('2018-11-cloud-native-london');
      const organisers = bot.slack.addChannel({ name: 'organisers', isPrivate: true });
      const community = bot.slack.addChannel({ name: 'community' });
      bot.slack.addUser({ id: SPEAKER, name: 'alessandro' });
      bot.slack.addUser({ id: OUTSIDER, name: 'someone' });
      const saved = (reply: { json?: unknown }) =>
        expect((reply.json as { response_action?: string } | undefined)?.response_action).not.toBe('errors');

      saved(
        await bot.submit(await bot.open('setup'), {
          ...setupValues(november, organisers, FAKE_DEFAULTS.userId),
          [SETUP.name]: input.text('Cloud Native <!here> London'),
          [SETUP.communityChannels]: input.conversations([community]),
        }),
      );
      saved(
        await bot.submit(await bot.open('new'), {
          ...meetupValues(november.meetup),
          [MEETUP.date]: input.date('2026-11-04'),
        }),
      );
      saved(
        await bot.submit(
          await bot.open('talk new'),
          talkValues({ ...november.meetup.talks[0]!, title: 'Deploying <!everyone> & co', takeaways: [] }),
        ),
      );
      saved(
        await bot.submit(await bot.open('next'), {
          ...nextValues(november.meetup),
          [NEXT.date]: input.date('2026-12-09'),
          [NEXT.venue]: input.text('<!channel> Towers'),
        }),
      );
      const meetup = (await bot.store.currentMeetup(TEAM))!;

      // The speaker is asked (a DM), does not answer, and is nudged the next morning (another DM).
      await bot.submit(await bot.open(`ask <@${SPEAKER}>`), {
        [ASK.speaker]: input.user(SPEAKER),
        [ASK.talk]: input.staticSelect(meetup.talks[0]!.id),
      });
      await bot.settled();
      now = new Date('2026-11-05T10:00:30Z');
      await runTick(bot.bot.deps, now);

      // A photo whose file name is a mention is refused, and the organiser told so in their DM.
      const file = bot.slack.addPrivateFile({
        name: '<!channel>.png',
        mimetype: 'image/png',
        bytes: Buffer.from('<!doctype html><p>not a photo</p>'),
      });
      await bot.submit(await bot.open('photo'), {
        [PHOTO.role]: input.staticSelect('group'),
        [PHOTO.files]: input.files([bot.slack.fileObject(file.id)!]),
        [PHOTO.urls]: input.text(null),
        [PHOTO.alt]: input.text(null),
      });
      await bot.settled();

      // `/roundup status` for an organiser, and for someone who is not one.
      const status = await bot.command('status');
      const refused = await bot.command('status', { userId: OUTSIDER });

      // A week before the next meetup its reminder goes to the community channel...
      now = new Date('2026-12-02T10:00:30Z');
      await runTick(bot.bot.deps, now);
      // ...and then it is called off, with a notice there too.
      const cancel = await bot.act({
        actionId: ACTION.cancelNextMeetup,
        action: { type: 'button', value: meetup.id },
        message: { channelId: FAKE_DEFAULTS.channelId, ts: '1700000000.000100' },
      });
      await bot.responseTo(cancel.responseUrl, (t) => t.includes('called off'));
      const notice = await bot.act({
        actionId: ACTION.postCancellationNotice,
        action: { type: 'button', value: meetup.id },
        message: { channelId: FAKE_DEFAULTS.channelId, ts: '1700000000.000100' },
      });
      await bot.responseTo(notice.responseUrl, (t) => t.includes('Notice posted'));
      await bot.settled();

      const posts = bot.slack
        .callsTo('chat.postMessage')
        .filter((c) => (c.response as Json | undefined)?.ok === true)
        .map((c) => c.args);
      const texts = (where: string, match: RegExp) =>
        posts.filter((p) => p.channel === where && match.test(String(p.text))).map((p) => String(p.text));

      expect(texts(community, /next week/)).toEqual([
        'Cloud Native &lt;!here&gt; London is next week: Wednesday 9 December at 18:30, at &lt;!channel&gt; Towers. RSVP: https://www.meetup.com/Cloud-Native-London/events/253873413/',
      ]);
      expect(texts(community, /cancelled/)).toEqual([
        'The Cloud Native &lt;!here&gt; London meetup on Wednesday 9 December is cancelled.',
      ]);
      expect(texts(SPEAKER, /takeaways/)).toEqual([
        'Cloud Native &lt;!here&gt; London: please fill in the takeaways of “Deploying &lt;!everyone&gt; &amp; co”',
      ]);
      // The nudge goes to the DM the scheduler opens with the speaker.
      const opened = await bot.slack.waitForCall('conversations.open', (c) => c.args.users === SPEAKER);
      const dm = String((opened.response as { channel?: { id?: string } }).channel?.id);
      expect(dm).toMatch(/^D/);
      expect(texts(dm, /takeaways/)).toEqual([
        'A gentle reminder from Cloud Native &lt;!here&gt; London: could you add the takeaways of “Deploying &lt;!everyone&gt; &amp; co” (the November 2026 meetup)? It takes a couple of minutes.',
      ]);
      expect(texts(FAKE_DEFAULTS.userId, /not added/)).toEqual([
        expect.stringContaining('"&lt;!channel&gt;.png" is not a JPEG, PNG, GIF or WebP image'),
      ]);
      expect((status.reply.json as Json).text).toBe(
        'Cloud Native &lt;!here&gt; London: the November 2026 meetup',
      );
      expect((refused.reply.json as Json).text).toMatch(
        /^Sorry, only the organisers of Cloud Native &lt;!here&gt; London /,
      );

      // And nowhere, in any message's text or blocks, a mention that pings.
      const everything = [
        ...bot.slack.calls.filter((c) => c.method.startsWith('chat.')).map((c) => c.args),
        ...bot.slack.responses.map((r) => r.body),
        status.reply.json,
        refused.reply.json,
      ];
      for (const message of everything) expect(JSON.stringify(message)).not.toMatch(PINGS);
    } finally {
      await bot.stop();
    }
  });
});

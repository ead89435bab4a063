import { unzipSync } from 'fflate';
import { TestBot } from '../support/bot';
import { asPublished, loadRoundup, readFixture } from '../support/fixtures';
import { playEvening } from '../support/organiser-evening';

describe('an organiser’s evening, end to end over HTTP', () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await TestBot.start();
  });
  afterEach(async () => {
    await bot.stop();
  });

  it('turns the November 2018 meetup, typed into the modals, into that post in the uploaded .md and .zip', async () => {
    const november = loadRoundup('2018-11-cloud-native-london');
    const result = await playEvening(bot, november);
    const expected = asPublished(readFixture('posts/2018-11-07-cloud-native-london-november-2018.md'));

    expect(result.markdown.filename).toBe('2018-11-07-cloud-native-london-november-2018.md');
    expect(result.markdown.bytes.toString('utf8')).toBe(expected);

    expect(result.zip.filename).toBe('2018-11-07-cloud-native-london-november-2018.zip');
    const entries = unzipSync(new Uint8Array(result.zip.bytes));
    expect(Object.keys(entries)).toEqual(['_posts/2018-11-07-cloud-native-london-november-2018.md']);
    expect(
      Buffer.from(entries['_posts/2018-11-07-cloud-native-london-november-2018.md'] as Uint8Array).toString(
        'utf8',
      ),
    ).toBe(expected);

    // The draft message: title, the checklist (nothing blocking is missing), buttons, and the preview.
    const blocks = JSON.stringify(result.draft.blocks);
    expect(blocks).toContain('Roundup draft: [Photos] [Nov 2018] Cloud Native London November 2018 Roundup');
    expect(blocks).not.toContain(':red_circle:');
    expect(blocks).toContain('Mark published');
    expect(blocks).toContain('Kapitan is an open source tool');
    // Both files went into the draft message's thread, in the organisers' channel.
    for (const upload of bot.slack.uploads) {
      expect(upload.channel_id).toBe(result.organisersChannel);
      expect(upload.thread_ts).toBe(result.draft.ts);
    }
  });
});

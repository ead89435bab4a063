import { ACTION, CALLBACK } from '../../src/slack/views/ids';
import { TALK_MENU } from '../../src/slack/views/talks-modal';
import { FIELD } from '../../src/web/talk-form';
import { eventually, type OpenedView } from '../support/bot';
import type { Json } from '../support/fake-slack';
import { linkIn, ORGANISER, type SpeakerBed, startSpeakerBed, TEAM } from '../support/speaker-links';
import { formFields, getPage, postForm } from '../support/web-form';

// Where an organiser gets a speaker's link in Slack, and what the speaker's answer changes there.

const DAY_AFTER = new Date('2018-11-08T08:00:00Z');

const textOf = (view: Json) =>
  ((view.blocks as Json[]) ?? []).map((b) => String((b.text as Json | undefined)?.text ?? '')).join('\n');

describe('speaker links from the App Home and the talk list', () => {
  let bed: SpeakerBed;

  beforeEach(async () => {
    bed = await startSpeakerBed({ now: () => DAY_AFTER });
  });
  afterEach(async () => {
    await bed.bot.stop();
  });

  async function home(): Promise<OpenedView> {
    const before = bed.bot.slack.callsTo('views.publish').length;
    await bed.bot.event({ type: 'app_home_opened', user: ORGANISER, channel: 'D0HOME0001', tab: 'home' });
    await eventually(() => expect(bed.bot.slack.callsTo('views.publish').length).toBeGreaterThan(before));
    await bed.bot.settled();
    const view = bed.bot.slack.homeView(ORGANISER) ?? {};
    return { id: String(view.id), hash: String(view.hash), callbackId: '', privateMetadata: '', view };
  }

  it("gives a talk's link from its Speaker link button, and withdraws it from the modal", async () => {
    const view = await home();
    const talk = bed.meetup.talks[1];
    const button = (view.view.blocks as Json[])
      .map((b) => b.accessory as Json | undefined)
      .find((a) => a?.action_id === ACTION.talkLink && a.value === talk?.id);
    expect((button?.text as Json | undefined)?.text).toBe('Speaker link');
    const { triggerId } = await bed.bot.act({ actionId: ACTION.talkLink, action: { value: talk?.id }, view });
    const modal = await bed.bot.viewOpenedWith(triggerId);
    expect(modal.callbackId).toBe(CALLBACK.talkLink);
    const text = textOf(modal.view);
    expect(text).toContain(`talk 2, “${talk?.title}”`);
    const url = (linkIn(text) as string).replace('http://roundup.test', bed.bot.base);
    const page = await getPage(url);
    expect(page.status).toBe(200);
    expect(page.html).toContain(talk?.title);

    await bed.bot.act({ actionId: ACTION.revokeTalkLinks, action: { value: talk?.id }, view: modal });
    const update = await bed.bot.slack.waitForCall('views.update', (c) => c.args.view_id === modal.id);
    expect(textOf(update.args.view as Json)).toContain('Withdrew 1 link to');
    expect((await getPage(url)).status).toBe(410);
  });

  it("gives a talk's link from the talk list's menu", async () => {
    const list = await bed.bot.open('talk');
    expect(list.callbackId).toBe(CALLBACK.talks);
    const talk = bed.meetup.talks[2];
    const { triggerId } = await bed.bot.act({
      actionId: ACTION.talkMenu,
      action: { selected_option: { value: `${TALK_MENU.link}:${talk?.id}` } },
      view: list,
    });
    const pushed = await bed.bot.viewOpenedWith(triggerId, 'views.push');
    const url = (linkIn(textOf(pushed.view)) as string).replace('http://roundup.test', bed.bot.base);
    expect((await getPage(url)).html).toContain(talk?.title);
  });

  it("updates the draft's checklist when the asked speaker answers from the link", async () => {
    const waiting = `has not filled in “${bed.meetup.talks[0]?.title}” yet`;
    await bed.bot.command('draft');
    await bed.bot.settled();
    const draft = await bed.bot.store.getDraft(TEAM, bed.meetup.id);
    const posted = bed.organisersMessages().find((m) => m.ts === draft?.messageTs);
    expect(JSON.stringify(posted?.blocks)).toContain(waiting);

    const url = await bed.link(1);
    const earlier = new Set(bed.bot.slack.callsTo('chat.update'));
    const page = await getPage(url);
    const saved = await postForm(
      url,
      { ...formFields(page.html), [FIELD.takeaways]: 'One point\nAnother' },
      { cookie: page.cookie as string },
    );
    expect(saved.status).toBe(303);
    const update = await bed.bot.slack.waitForCall(
      'chat.update',
      (c) => !earlier.has(c) && c.args.ts === draft?.messageTs,
      10_000,
    );
    expect(JSON.stringify(update.args.blocks)).not.toContain(waiting);
    await bed.bot.settled();
  });
});

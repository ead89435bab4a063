import { giveTalkLink } from '../../../services/talk-links';
import { buildAskModal } from '../../views/ask-views';
import { buildNotice } from '../../views/status-message';
import { talkLinkText } from '../../views/talk-link-views';
import { currentMeetupOrSay, openModal, type Subcommand } from '../shared';

/** `<@U123>` or `<@U123|name>`, as Slack escapes a mention in a command's text. */
const MENTION = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/;

export const ask: Subcommand = {
  name: 'ask',
  usage: 'ask @speaker [talk number] | ask <talk number> link [revoke]',
  description:
    'DM a speaker a button to fill in their own talk; or, for a speaker not in the workspace, a link to a web page for it (`revoke` withdraws its links)',
  who: 'organiser',
  acksFirst: true,
  async run({ ack, actor, deps, command, respond, rest }) {
    const meetup = await currentMeetupOrSay(deps, actor, ack);
    if (!meetup) return;
    if (meetup.talks.length === 0) {
      return ack(
        buildNotice(
          'Add the talk first with `/roundup talk` (a speaker and a title are enough), then ask its speaker.',
        ),
      );
    }
    if (rest.some((r) => r.toLowerCase() === 'link')) {
      const number = rest.find((r) => /^\d+$/.test(r));
      const talk = number ? meetup.talks[Number(number) - 1] : undefined;
      if (!talk) {
        return ack(
          buildNotice(
            `Which talk? Give its number, from 1 to ${meetup.talks.length}: \`/roundup ask 1 link\` (\`/roundup talk\` lists them).`,
          ),
        );
      }
      if (rest.some((r) => r.toLowerCase() === 'revoke')) {
        const count = await deps.store.revokeTalkLinks(actor.teamId, talk.id);
        return ack(
          buildNotice(
            count === 0
              ? `No link to talk ${number} was still working.`
              : `Withdrew ${count} link${count === 1 ? '' : 's'} to talk ${number}: ${count === 1 ? 'it no longer opens' : 'they no longer open'} the talk. What the speaker saved stays.`,
          ),
        );
      }
      const {
        made,
        talk: which,
        until,
      } = await giveTalkLink(deps, actor.teamId, meetup, talk.id, actor.userId);
      return ack(buildNotice(talkLinkText(made, which, until)));
    }
    const speaker = rest.map((r) => MENTION.exec(r)?.[1]).find(Boolean);
    const number = rest.find((r) => /^\d+$/.test(r));
    const byNumber = number ? meetup.talks[Number(number) - 1] : undefined;
    // Without a number, guess the talk whose speaker's name matches the mention's label.
    const label = rest
      .map((r) => /^<@[A-Z0-9]+\|([^>]+)>$/.exec(r)?.[1])
      .find(Boolean)
      ?.toLowerCase();
    const byName = label
      ? meetup.talks.find((t) => t.speakers.some((s) => s.name.toLowerCase().includes(label)))
      : undefined;
    await ack();
    const view = buildAskModal({
      metadata: { meetupId: meetup.id },
      talks: meetup.talks,
      speaker,
      talkId: (byNumber ?? byName)?.id,
    });
    await openModal(deps, command.trigger_id, view, actor.userId, respond);
  },
};

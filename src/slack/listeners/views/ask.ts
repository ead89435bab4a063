import { sendAsk } from '../../../services/asks';
import type { TeamDeps } from '../../../services/deps';
import { syncMeetupReminders } from '../../../services/reminders';
import { type AskModalMetadata, readAskModal } from '../../views/ask-views';
import { ASK } from '../../views/ids';
import { explainSlackFailure, parseMetadata, refreshOrganisersHome, tell } from '../shared';
import { submission } from './submission';

export function askSubmitted(deps: TeamDeps) {
  return submission(deps, {
    fallbackBlock: ASK.speaker,
    mayAct: async (actor) => actor.isOrganiser,
    read: async ({ view }, actor) => {
      const { meetupId } = parseMetadata<AskModalMetadata>(view.private_metadata);
      const meetup = await deps.store.getMeetup(actor.teamId, meetupId);
      return readAskModal(view.state.values, meetup?.talks ?? []);
    },
    save: async (store, form, actor, { view }) => {
      const { meetupId } = parseMetadata<AskModalMetadata>(view.private_metadata);
      const ask = await store.saveAsk(actor.teamId, {
        ...form,
        meetupId,
        askedBy: actor.userId,
        // The nudge is planned from it, by the service clock.
        askedAt: deps.now().toISOString(),
      });
      await syncMeetupReminders({ ...deps, store }, actor.teamId, meetupId);
      return ask;
    },
    after: async (ask, _form, actor) => {
      try {
        await sendAsk(deps, actor.teamId, ask);
        await tell(
          deps,
          actor.userId,
          `:envelope: I asked <@${ask.userId}> to fill in their talk. \`/roundup status\` shows who has answered.`,
        );
      } catch (err) {
        await tell(deps, actor.userId, explainSlackFailure(err, `message <@${ask.userId}>`));
      }
      refreshOrganisersHome(deps, actor);
    },
  });
}

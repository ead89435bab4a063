import type { Group } from '../../../domain/meetup';
import type { TeamDeps } from '../../../services/deps';
import { saveSetup } from '../../../services/meetups';
import { syncTeamReminders } from '../../../services/reminders';
import type { GroupRecord } from '../../../store/store';
import type { Actor } from '../../middleware/actor';
import { modal, note } from '../../views/form';
import { SETUP } from '../../views/ids';
import { buildSetupForm, readSetupModal, SETUP_STEPS } from '../../views/setup-modal';
import { refreshOrganisersHome } from '../shared';
import { type Prefill, recordOf, type SteppedForm, type SteppedHandling, stepHandling } from './stepped';
import { submission } from './submission';

/** The setup form (`/roundup setup`), in SETUP_STEPS: each step saves the group. */
export const SETUP_FORM: SteppedForm<Group, GroupRecord> = {
  steps: SETUP_STEPS,
  // The group is read for every request, with who is acting.
  current: async (_deps: TeamDeps, actor: Actor) => actor.group,
  async whole(_deps: TeamDeps, actor: Actor, _metadata: string, from: Prefill<GroupRecord>) {
    return { view: buildSetupForm(recordOf(from), actor.userId), metadata: {} };
  },
  handling: (deps) => setupHandling(deps),
};

export function setupSubmitted(deps: TeamDeps) {
  return submission(deps, stepHandling(deps, SETUP_FORM));
}

function setupHandling(deps: TeamDeps): SteppedHandling<Group, GroupRecord> {
  return {
    fallbackBlock: SETUP.name,
    mayAct: async (actor) => actor.maySetUp,
    read: async ({ view }, actor, current) => readSetupModal(view.state.values, actor.userId, current),
    save: async (store, group, actor) => {
      const saved = await saveSetup({ ...deps, store }, actor.teamId, group);
      // The plan, the channels or the organisers' channel may have changed.
      await syncTeamReminders({ ...deps, store }, actor.teamId);
      return saved;
    },
    response: (group) => ({
      response_action: 'update',
      view: modal(
        'setup_done',
        'roundup is set up',
        [
          {
            type: 'section',
            text: {
              type: 'mrkdwn',
              text: `:white_check_mark: Saved. Drafts go to <#${group.organisersChannel}>.\nNext: \`/roundup new\` for the meetup, then \`/roundup talk\` for each talk. (Invite the bot to <#${group.organisersChannel}> if it is not there yet.)`,
            },
          },
          note('Change any of it later with `/roundup setup`.'),
        ],
        { close: 'Done' },
      ),
    }),
    after: async (_group, _value, actor) => refreshOrganisersHome(deps, actor),
  };
}

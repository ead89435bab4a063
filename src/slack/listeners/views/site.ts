import type { TeamDeps } from '../../../services/deps';
import { SITE } from '../../views/ids';
import { readSiteModal } from '../../views/site-modal';
import { refreshOrganisersHome, tell } from '../shared';
import { submission } from './submission';

/** The `/roundup site` form: organisers only; saved on the group. */
export function siteSubmitted(deps: TeamDeps) {
  return submission(deps, {
    fallbackBlock: SITE.repository,
    mayAct: async (actor) => actor.isOrganiser,
    read: async ({ view }) => readSiteModal(view.state.values),
    save: async (store, site, actor) => {
      const group = await store.getGroup(actor.teamId);
      if (!group) throw new Error('group gone');
      const { id: _id, teamId: _team, ...fields } = group;
      await store.saveGroup(actor.teamId, { ...fields, site });
      return site;
    },
    after: async (site, _value, actor) => {
      const where = site.kind === 'github' ? `${site.repository} on GitHub` : site.repository;
      await tell(
        deps,
        actor.userId,
        `:white_check_mark: Posts will be published to ${where}, against \`${site.branch}\` (posts in \`${site.postsFolder}/\`, photos in \`${site.imagesFolder}/\`, at most ${site.maxPhotoWidth} px wide). Press *Publish to the site* on the draft.`,
      );
      refreshOrganisersHome(deps, actor);
    },
  });
}

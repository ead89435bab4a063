import { describeImport, importGroupSite, SiteImportError } from '../../../services/site-import';
import { buildNotice } from '../../views/status-message';
import { type Subcommand, tell } from '../shared';

export const importSiteCommand: Subcommand = {
  name: 'import',
  usage: 'import',
  description:
    'reads the posts of the site connected with `site` into the group’s history, its sponsors and its house style',
  who: 'organiser',
  async run({ ack, actor, deps, respond }) {
    await ack(buildNotice(':hourglass_flowing_sand: Reading the site’s posts…'));
    try {
      const outcome = await importGroupSite(deps, actor.teamId);
      await tell(deps, actor.userId, describeImport(outcome), respond);
    } catch (err) {
      if (!(err instanceof SiteImportError)) {
        deps.logger.error(`site import failed: ${(err as Error).stack ?? String(err)}`);
        return tell(
          deps,
          actor.userId,
          ':warning: The import failed on our side; nothing was changed. Try again.',
          respond,
        );
      }
      await tell(deps, actor.userId, `:warning: ${err.message}`, respond);
    }
  },
};

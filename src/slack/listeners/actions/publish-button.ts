import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { siteName } from '../../../domain/site';
import { PublishError } from '../../../publish/gateway';
import { escapeMrkdwn } from '../../../render/slack-preview';
import type { TeamDeps } from '../../../services/deps';
import { refreshDraftMessage } from '../../../services/draft';
import { type PublishReport, publishMeetup } from '../../../services/publish';
import { actorOf } from '../../middleware/actor';
import { buildNotice } from '../../views/status-message';
import { explainSlackFailure, refreshOrganisersHome, tell } from '../shared';

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/**
 * "Publish to the site" on the draft message: the post goes to the group's site, and how it went is told in
 * the draft's thread (the pull request's link, or what stopped it and the fix); the message shows the state.
 */
export function draftPublish(deps: TeamDeps) {
  return async (args: Args): Promise<void> => {
    await args.ack();
    const actor = actorOf(args.context);
    const meetupId = args.action.value ?? '';
    const draft = await deps.store.getDraft(actor.teamId, meetupId);
    let text: string;
    try {
      text = publishedText(await publishMeetup(deps, actor.teamId, meetupId), actor.userId);
    } catch (err) {
      if (!(err instanceof PublishError)) {
        deps.logger.error(`publishing meetup ${meetupId} failed: ${(err as Error).message}`);
      }
      const why =
        err instanceof PublishError
          ? escapeMrkdwn(err.message)
          : 'something went wrong on our side; please press Publish again.';
      text = `:warning: Publishing stopped: ${why} The draft and its photos are kept as they were.`;
    }
    try {
      if (draft) {
        await deps.client.chat.postMessage({
          channel: draft.channelId,
          thread_ts: draft.messageTs,
          ...buildNotice(text),
        });
        await refreshDraftMessage(deps, actor.teamId, meetupId, actor.userId);
      } else {
        await tell(deps, actor.userId, text, args.respond);
      }
      refreshOrganisersHome(deps, actor);
    } catch (err) {
      await tell(deps, actor.userId, explainSlackFailure(err, 'tell how publishing went'), args.respond);
    }
  };
}

function publishedText(report: PublishReport, userId: string): string {
  const { publication: p, site } = report;
  const where = escapeMrkdwn(siteName(site));
  const branch = `\`${escapeMrkdwn(p.branch)}\``;
  const commit = p.commit ? ` (commit \`${p.commit.slice(0, 7)}\`)` : '';
  const photos = report.photos === 1 ? '1 photo' : `${report.photos} photos`;
  const what = report.changed
    ? `<@${userId}> published the post and its ${photos} to ${where}, on the branch ${branch}${commit}.`
    : `The branch ${branch} of ${where} already holds this version of the post${commit}.`;
  if (!p.pullRequest) {
    return `:rocket: ${what} There is no pull request on a plain git site: merge ${branch} into \`${escapeMrkdwn(p.baseBranch)}\` to publish it.`;
  }
  const pr = `<${p.pullRequest.url}|pull request #${p.pullRequest.number}>`;
  if (p.pullRequest.state === 'merged') {
    return `:tada: ${what} The ${pr} is merged: the meetup is published.`;
  }
  return `:rocket: ${what} Review and merge the ${pr} against \`${escapeMrkdwn(p.baseBranch)}\`; once it is merged, the meetup shows as published.`;
}

import type { AllMiddlewareArgs, SlackOptionsMiddlewareArgs } from '@slack/bolt';
import type { TeamDeps } from '../../../services/deps';
import { timeZoneOptions } from '../../views/time-zones';

/** The setup form's time zone list, searched as the organiser types; the group's zone first. */
export function timeZoneOptionsRequested(deps: TeamDeps) {
  return async ({
    ack,
    body,
    context,
  }: SlackOptionsMiddlewareArgs<'block_suggestion'> & AllMiddlewareArgs) => {
    const current = (context.actor as { group?: { timeZone?: string } } | undefined)?.group?.timeZone;
    await ack({ options: timeZoneOptions(body.value ?? '', current, deps.now()) });
  };
}

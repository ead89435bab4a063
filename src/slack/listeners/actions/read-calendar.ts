import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  ButtonAction,
  SlackActionMiddlewareArgs,
} from '@slack/bolt';

import type { EventDetails } from '../../../import/ical';
import type { Deps, TeamDeps } from '../../../services/deps';
import { EventPageError, readEventPage } from '../../../services/event-page';
import { slackError } from '../../../services/slack-errors';
import { organisersOnly } from '../../middleware/organisers-only';
import {
  buildCalendarFilledView,
  type CalendarFillMapping,
  readCalendarLink,
  type ViewLike,
} from '../../views/calendar-fill';
import type { StateValues } from '../../views/form';
import { CALENDAR } from '../../views/ids';
import { forTeam } from '../for-team';
import { tell } from '../shared';

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** How a form's fields take the calendar's details; `readEventPage` is replaceable for tests. */
export interface CalendarFillOptions {
  mapping: CalendarFillMapping;
  readEventPage?: typeof readEventPage;
}

/**
 * "Fill in from the calendar link" in a form: acknowledged at once, then the link typed in the form read
 * (up to 10 seconds), then the form updated in place with the calendar's date, time, venue, address and
 * RSVP link in the fields `mapping` names, or with the error under the link; nothing typed is lost.
 */
export function readCalendarClicked(o: CalendarFillOptions) {
  return (deps: TeamDeps) =>
    async ({ ack, body }: Args): Promise<void> => {
      await ack();
      const userId = body.user.id;
      const view = body.view;
      if (!view) return;
      const values = (view.state?.values ?? {}) as StateValues;
      const link = readCalendarLink(values);
      let outcome: { details: EventDetails } | { error: string };
      if (!link) {
        outcome = { error: "Paste the event's calendar (.ics) link first, then press the button again" };
      } else {
        try {
          const group = await deps.store.getGroup(deps.teamId);
          const details = await (o.readEventPage ?? readEventPage)(link, {
            now: deps.now(),
            timeZone: group?.timeZone ?? 'Europe/London',
          });
          outcome = { details };
        } catch (err) {
          if (!(err instanceof EventPageError))
            deps.logger.warn(`reading a calendar link failed: ${String(err)}`);
          outcome = {
            error:
              err instanceof EventPageError ? err.message : 'roundup could not read that link: try again',
          };
        }
      }
      const updated = buildCalendarFilledView(view as unknown as ViewLike, values, o.mapping, outcome);
      try {
        await deps.client.views.update({ view_id: view.id, hash: view.hash, view: updated });
      } catch (err) {
        const code = slackError(err);
        deps.logger.warn(`views.update after reading a calendar failed: ${code ?? String(err)}`);
        await tell(
          deps,
          userId,
          code === 'hash_conflict'
            ? ':warning: The form changed while the calendar was being read: press “Fill in from the calendar link” again. Nothing you entered is lost.'
            : ':warning: I could not fill in the form from the calendar: Slack refused the update. Nothing you entered is lost.',
        );
      }
    };
}

/**
 * Registers the button for one form (by its callback id), organisers only, with the Slack of the
 * workspace the click came from. Wire it in `registerListeners` after the other actions, e.g.
 * `registerCalendarFill(app, deps, { callbackId: CALLBACK.meetup, mapping: { [MEETUP.date]: 'date', ... } })`.
 */
export function registerCalendarFill(
  app: App,
  deps: Deps,
  o: CalendarFillOptions & { callbackId: string },
): void {
  const team = forTeam(deps);
  app.action<BlockAction<ButtonAction>>(
    { action_id: CALENDAR.fill, callback_id: o.callbackId },
    team(organisersOnly),
    team(readCalendarClicked(o)),
  );
}

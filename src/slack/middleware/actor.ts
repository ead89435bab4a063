import type { AnyMiddlewareArgs, Context, Middleware } from '@slack/bolt';
import { escapeMrkdwn } from '../../render/slack-preview';
import type { GroupRecord, Store } from '../../store/store';

/** Who is acting, for which team, and what they may do. Every store call is scoped by `teamId`. */
export interface Actor {
  teamId: string;
  userId: string;
  group?: GroupRecord;
  /** One of the group's organisers. Before the first setup nobody is. */
  isOrganiser: boolean;
  /**
   * May run setup: an organiser, or, before the group has any, the person who installed roundup (by OAuth)
   * or anyone (in a workspace served with one bot token, where nobody is known to have installed it).
   */
  maySetUp: boolean;
  /** Who installed roundup in the workspace by OAuth (from its installation). */
  installerUserId?: string;
}

/** Team and user ids sit in different places in commands, interactions and events. */
function idsOf(body: Record<string, unknown>, context: Context): { teamId?: string; userId?: string } {
  const team = body.team as { id?: string } | null | undefined;
  const user = body.user as { id?: string } | string | undefined;
  const event = body.event as { user?: string } | undefined;
  return {
    teamId: (body.team_id as string | undefined) ?? team?.id ?? context.teamId,
    userId:
      (body.user_id as string | undefined) ??
      (typeof user === 'string' ? user : user?.id) ??
      event?.user ??
      context.userId,
  };
}

/** Loads the acting user and their team's group into `context.actor` for every request. */
export function loadActor(store: Store): Middleware<AnyMiddlewareArgs> {
  return async ({ body, context, next }) => {
    const { teamId, userId } = idsOf(body as unknown as Record<string, unknown>, context);
    if (teamId && userId) {
      const group = await store.getGroup(teamId);
      const isOrganiser = group?.organisers.includes(userId) ?? false;
      const installer = context.installerUserId as string | undefined;
      const actor: Actor = {
        teamId,
        userId,
        group,
        isOrganiser,
        maySetUp:
          isOrganiser ||
          ((group?.organisers.length ?? 0) === 0 && (installer === undefined || installer === userId)),
        ...(installer ? { installerUserId: installer } : {}),
      };
      context.actor = actor;
    }
    await next();
  };
}

export function actorOf(context: Context): Actor {
  const actor = context.actor as Actor | undefined;
  if (!actor) throw new Error('No team or user in this request');
  return actor;
}

/** The polite refusal for someone who is not an organiser. */
export function refusalText(actor: Actor): string {
  const organisers = actor.group?.organisers.length
    ? actor.group.organisers
    : actor.installerUserId
      ? [actor.installerUserId]
      : [];
  const ask = organisers.length
    ? ` Ask ${organisers
        .slice(0, 5)
        .map((u) => `<@${u}>`)
        .join(', ')} if you should be one.`
    : '';
  const group = actor.group ? escapeMrkdwn(actor.group.name) : 'this meetup';
  return `Sorry, only the organisers of ${group} can do that.${ask}`;
}

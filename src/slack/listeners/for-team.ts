import type { AllMiddlewareArgs } from '@slack/bolt';
import type { Deps, TeamDeps } from '../../services/deps';

/** Where a listener's work gets its workspace's Slack: the client and token of the request's team. */
export type ForTeam = <A extends AllMiddlewareArgs>(
  make: (deps: TeamDeps) => (args: A) => Promise<void>,
) => (args: A) => Promise<void>;

/**
 * Each request's listener runs with the Slack of the workspace it came from: Bolt's client for the request,
 * made with the token the installation gave.
 */
export function forTeam(deps: Deps): ForTeam {
  return (make) => (args) =>
    make({
      ...deps,
      teamId: args.context.teamId as string,
      client: args.client,
      botToken: args.context.botToken as string,
    })(args);
}

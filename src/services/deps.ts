import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Config } from '../config';
import type { Store } from '../store/store';
import type { InFlight } from './in-flight';
import type { LinkSettings } from './talk-links';

/** What the use cases need, passed in so tests can give a fixed clock and the fake Slack. */
export interface Deps {
  store: Store;
  /** Each workspace's Slack clients, with its own bot token. */
  workspaces: Workspaces;
  /** Hosts photos may be downloaded from (Slack's file host, or the overridden API host). */
  fileHosts: string[];
  /** Uploaded photos live in `<photosDir>/<team>/<meetup>/`. */
  photosDir: string;
  logger: Logger;
  now: () => Date;
  /** A reminder later than this (after downtime) is skipped, and the organisers told. */
  reminderGraceMs: number;
  /** How long one of the scheduler's Slack calls may take; the claims' lease and deadlines follow from it. */
  slackTimeoutMs: number;
  /** Publishing to the group's site (absent: the Publish button says it is not set up). */
  publishing?: Config['publishing'];
  /** What speaker links are made with (PUBLIC_URL, SPEAKER_LINK_SECRET); either missing, none is made. */
  speakerLinks: LinkSettings;
  /** Work that outlives its request (refreshes after the acknowledgement), waited for on shutdown. */
  inFlight: InFlight;
}

/** One workspace's Slack, with the bot token it installed roundup with. */
export interface WorkspaceSlack {
  teamId: string;
  /** Every call is retried with backoff on 5xx, network errors and rate limits. */
  client: WebClient;
  /**
   * The scheduler's client: every call times out after `slackTimeoutMs`, none is retried by the client
   * itself (the scheduler decides, reading the channel's history before posting again).
   */
  reminderClient: WebClient;
  /** Sent only to Slack's file host, to download uploaded photos. */
  botToken: string;
}

export interface Workspaces {
  /** The workspace's Slack, or undefined where roundup is not installed (never was, or was removed). */
  slackFor(teamId: string): Promise<WorkspaceSlack | undefined>;
}

/**
 * What the work of one request needs: the use cases' dependencies with the Slack of the workspace it came
 * from (the token its installation gave), so that nothing of one workspace is sent with another's token.
 */
export interface TeamDeps extends Deps {
  teamId: string;
  client: WebClient;
  botToken: string;
}

import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Config } from '../config';
import type { Store } from '../store/store';
import type { InFlight } from './in-flight';

/** What the use cases need, passed in so tests can give a fixed clock and the fake Slack. */
export interface Deps {
  store: Store;
  client: WebClient;
  /** Sent only to Slack's file host, to download uploaded photos. */
  botToken: string;
  /** Hosts photos may be downloaded from (Slack's file host, or the overridden API host). */
  fileHosts: string[];
  /** Uploaded photos live in `<photosDir>/<team>/<meetup>/`. */
  photosDir: string;
  logger: Logger;
  now: () => Date;
  /** A reminder later than this (after downtime) is skipped, and the organisers told. */
  reminderGraceMs: number;
  /**
   * The client the scheduler posts reminders with: every call times out after `slackTimeoutMs`, none is
   * retried by the client itself.
   */
  reminderClient: WebClient;
  /** How long one of the scheduler's Slack calls may take; the claims' lease and deadlines follow from it. */
  slackTimeoutMs: number;
  /** Publishing to the group's site (absent: the Publish button says it is not set up). */
  publishing?: Config['publishing'];
  /** Work that outlives its request (refreshes after the acknowledgement), waited for on shutdown. */
  inFlight: InFlight;
}

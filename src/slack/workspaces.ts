import type { Authorize } from '@slack/bolt';
import type { WorkspaceSlack, Workspaces } from '../services/deps';
import type { Store } from '../store/store';

/** The clients made for one bot token. */
export type ClientsFor = (botToken: string) => Pick<WorkspaceSlack, 'client' | 'reminderClient'>;

/** One workspace, one bot token (SLACK_BOT_TOKEN): every team id is served with it. */
export class SingleWorkspace implements Workspaces {
  private readonly clients: Pick<WorkspaceSlack, 'client' | 'reminderClient'>;

  constructor(
    private readonly botToken: string,
    clientsFor: ClientsFor,
  ) {
    this.clients = clientsFor(botToken);
  }

  async slackFor(teamId: string): Promise<WorkspaceSlack> {
    return { teamId, botToken: this.botToken, ...this.clients };
  }
}

/** Tokens whose clients are kept; beyond it the least recently used are dropped (and made again if needed). */
const MAX_KEPT_CLIENTS = 500;

/**
 * Workspaces that installed roundup by OAuth: each one's token is read from its installation in the
 * database (so every replica sees an install, a re-install or an uninstall at once), and a client is made
 * once per token.
 */
export class InstalledWorkspaces implements Workspaces {
  private readonly kept = new Map<string, Pick<WorkspaceSlack, 'client' | 'reminderClient'>>();

  constructor(
    private readonly store: Store,
    private readonly clientsFor: ClientsFor,
  ) {}

  async slackFor(teamId: string): Promise<WorkspaceSlack | undefined> {
    const installation = await this.store.getInstallation(teamId);
    if (!installation?.botToken) return undefined;
    return { teamId, botToken: installation.botToken, ...this.clients(installation.botToken) };
  }

  private clients(botToken: string) {
    let clients = this.kept.get(botToken);
    if (clients) this.kept.delete(botToken);
    else clients = this.clientsFor(botToken);
    this.kept.set(botToken, clients);
    if (this.kept.size > MAX_KEPT_CLIENTS) this.kept.delete(this.kept.keys().next().value as string);
    return clients;
  }
}

/**
 * Bolt's `authorize` for workspaces installed by OAuth: the bot's token and ids come from the installation
 * in the database, so no request waits for Slack to say who the bot is. A team without an installation
 * (never installed, or removed) gets no token: the first middleware answers it politely (see
 * middleware/installed.ts) rather than Bolt dropping the request without a word.
 */
export function authorizeByInstallation(store: Store): Authorize<boolean> {
  return async (source) => {
    const installation = source.teamId ? await store.getInstallation(source.teamId) : undefined;
    if (!installation?.botToken) {
      return {
        ...(source.teamId ? { teamId: source.teamId } : {}),
        ...(source.enterpriseId ? { enterpriseId: source.enterpriseId } : {}),
      };
    }
    return {
      botToken: installation.botToken,
      ...(installation.botId ? { botId: installation.botId } : {}),
      ...(installation.botUserId ? { botUserId: installation.botUserId } : {}),
      teamId: installation.teamId,
      ...(installation.enterpriseId ? { enterpriseId: installation.enterpriseId } : {}),
      installerUserId: installation.installerUserId,
    };
  };
}

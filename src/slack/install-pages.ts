import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import {
  type CallbackOptions,
  type Installation,
  type InstallationQuery,
  type InstallationStore,
  InstallProvider,
} from '@slack/oauth';
import type { Config } from '../config';
import type { Deps } from '../services/deps';
import { install, uninstall } from '../services/installations';
import { BOT_SCOPES } from './scopes';

export const INSTALL_PATH = '/slack/install';
export const REDIRECT_PATH = '/slack/oauth_redirect';

/**
 * Slack's OAuth installer (`@slack/oauth`, as Bolt uses it) on two pages: `GET /slack/install` shows the
 * "Add to Slack" link (with a signed `state`, also set as a cookie) and `GET /slack/oauth_redirect` is where
 * Slack sends the browser back: the state is checked against the cookie and its signature, the code is
 * exchanged with `oauth.v2.access`, and the installation is kept in the database.
 */
export function installPages(config: Config, deps: Deps): CustomRoute[] {
  const oauth = config.slack.oauth;
  if (!oauth) return [];
  const redirectUri = config.publicUrl ? `${config.publicUrl}${REDIRECT_PATH}` : undefined;
  const installer = new InstallProvider({
    clientId: oauth.clientId,
    clientSecret: oauth.clientSecret,
    stateSecret: oauth.stateSecret,
    installationStore: databaseInstallationStore(deps),
    logger: deps.logger,
    renderHtmlForInstallPath: addToSlackPage,
    ...(config.slack.apiUrl ? { clientOptions: { slackApiUrl: config.slack.apiUrl } } : {}),
  });
  const urlOptions = { scopes: [...BOT_SCOPES], ...(redirectUri ? { redirectUri } : {}) };
  const callback: CallbackOptions = {
    success: (installation, _options, _req, res) => page(res, 200, installedPage(installation.team?.name)),
    failure: (error, _options, _req, res) => {
      deps.logger.warn(`an install did not finish: ${error.code ?? 'error'}`);
      page(res, 400, failedPage(error.code));
    },
  };
  const guard =
    (handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>) =>
    (req: IncomingMessage, res: ServerResponse) => {
      handle(req, res).catch((err: unknown) => {
        deps.logger.error(`install page failed: ${(err as Error).message}`);
        if (!res.headersSent) page(res, 500, failedPage());
      });
    };
  return [
    {
      path: INSTALL_PATH,
      method: ['GET'],
      handler: guard((req, res) => installer.handleInstallPath(req, res, {}, urlOptions)),
    },
    {
      path: REDIRECT_PATH,
      method: ['GET'],
      handler: guard((req, res) => installer.handleCallback(req, res, callback, urlOptions)),
    },
  ];
}

/**
 * The installer's store, on roundup's own database (SQLite or PostgreSQL). Only workspace installs are
 * kept; an organisation-wide install (Enterprise Grid) is refused, since a group belongs to one workspace.
 */
export function databaseInstallationStore(deps: Deps): InstallationStore {
  return {
    async storeInstallation(installation: Installation) {
      if (installation.isEnterpriseInstall || !installation.team?.id || !installation.bot) {
        throw Object.assign(
          new Error('roundup is installed in one workspace at a time, not a whole organisation'),
          {
            code: 'org_install_refused',
          },
        );
      }
      await install(deps, {
        teamId: installation.team.id,
        ...(installation.team.name ? { teamName: installation.team.name } : {}),
        ...(installation.enterprise?.id ? { enterpriseId: installation.enterprise.id } : {}),
        ...(installation.appId ? { appId: installation.appId } : {}),
        botToken: installation.bot.token,
        botId: installation.bot.id,
        botUserId: installation.bot.userId,
        botScopes: installation.bot.scopes,
        installerUserId: installation.user.id,
      });
    },
    async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation> {
      const found = query.teamId ? await deps.store.getInstallation(query.teamId) : undefined;
      if (!found?.botToken) throw new Error(`roundup is not installed in team ${query.teamId ?? 'unknown'}`);
      return {
        team: { id: found.teamId, ...(found.teamName ? { name: found.teamName } : {}) },
        enterprise: found.enterpriseId ? { id: found.enterpriseId } : undefined,
        user: { token: undefined, scopes: undefined, id: found.installerUserId },
        bot: {
          token: found.botToken,
          scopes: found.botScopes,
          id: found.botId ?? '',
          userId: found.botUserId ?? '',
        },
        ...(found.appId ? { appId: found.appId } : {}),
        tokenType: 'bot',
        isEnterpriseInstall: false,
        authVersion: 'v2',
      };
    },
    async deleteInstallation(query: InstallationQuery<boolean>) {
      if (query.teamId) await uninstall(deps, query.teamId, 'installation deleted');
    },
  };
}

function page(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
    'Cache-Control': 'no-store',
  });
  res.end(html);
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function shell(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;line-height:1.5;color:#1d1c1d}
a.button{display:inline-block;background:#4a154b;color:#fff;padding:.7rem 1.2rem;border-radius:.4rem;text-decoration:none;font-weight:600}
code{background:#f4f4f4;padding:.1rem .3rem;border-radius:.2rem}</style></head>
<body>${body}</body></html>`;
}

/** The "Add to Slack" page; the URL carries the signed state Slack hands back. */
function addToSlackPage(url: string): string {
  return shell(
    'Add roundup to Slack',
    `<h1>roundup</h1>
<p>roundup collects your meetup's roundup post in Slack (the event, each talk, the photos), drafts it in your site's own style and reminds your community of the next meetup.</p>
<p><a class="button" href="${escapeHtml(url)}">Add to Slack</a></p>
<p>Whoever installs it becomes the group's first organiser.</p>`,
  );
}

function installedPage(teamName: string | undefined): string {
  return shell(
    'roundup is installed',
    `<h1>roundup is installed${teamName ? ` in ${escapeHtml(teamName)}` : ''}</h1>
<p>Next, in Slack: type <code>/roundup setup</code> to name your group, its organisers and its channels.</p>`,
  );
}

function failedPage(code?: string): string {
  const why: Record<string, string> = {
    slack_oauth_invalid_state:
      'the link was used in another browser, or it expired. Start again from the install page.',
    slack_oauth_missing_state: 'the link had no state. Start again from the install page.',
    org_install_refused: 'roundup is installed in one workspace at a time, not a whole organisation.',
  };
  const reason = (code && why[code]) ?? 'Slack did not confirm it. Start again from the install page.';
  return shell(
    'roundup was not installed',
    `<h1>roundup was not installed</h1><p>The install did not finish: ${escapeHtml(reason)}</p>
<p><a class="button" href="${INSTALL_PATH}">Try again</a></p>`,
  );
}

import { randomBytes } from 'node:crypto';

/**
 * The fake Slack's workspaces and tokens, and its OAuth: `oauth.v2.access` exchanging the code Slack gives
 * the installing browser for a bot token, as Slack's OAuth v2 documentation describes it (client credentials
 * by HTTP Basic auth or in the form body, a code usable once within ten minutes, the redirect URI checked
 * when the authorize step named one). Tokens are bot tokens of one workspace, or app-level tokens of the
 * app (Socket Mode), each with its scopes; a revoked token answers `token_revoked`.
 */

export interface FakeWorkspace {
  teamId: string;
  teamName: string;
  enterpriseId?: string;
  botUserId: string;
  botId: string;
}

export interface FakeToken {
  token: string;
  kind: 'bot' | 'app';
  /** The workspace of a bot token. */
  teamId?: string;
  scopes: string[];
  revoked: boolean;
}

interface PendingCode {
  teamId: string;
  userId: string;
  scopes: string[];
  redirectUri?: string;
  issuedAt: number;
  used: boolean;
}

/** A Web API error answered as `{ ok: false, error, ...extra }` with HTTP 200. */
export class FakeApiError extends Error {
  constructor(
    readonly error: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(error);
  }
}

/** The scopes of roundup's manifest, which an install grants unless a test says otherwise. */
export const DEFAULT_BOT_SCOPES = [
  'commands',
  'chat:write',
  'chat:write.public',
  'channels:history',
  'channels:join',
  'groups:history',
  'im:write',
  'files:read',
  'files:write',
  'users:read',
];

const CODE_TTL_MS = 10 * 60_000;

export class FakeWorkspaces {
  private readonly teams = new Map<string, FakeWorkspace>();
  private readonly tokens = new Map<string, FakeToken>();
  private readonly codes = new Map<string, PendingCode>();
  private count = 0;

  constructor(
    readonly app: { appId: string; clientId: string; clientSecret: string },
    private readonly now: () => number,
  ) {}

  /** A workspace the app can be installed in (the default one exists from the start). */
  add(input: {
    teamId: string;
    teamName?: string;
    enterpriseId?: string;
    botUserId?: string;
    botId?: string;
  }) {
    const existing = this.teams.get(input.teamId);
    if (existing) return existing;
    this.count += 1;
    const n = String(this.count).padStart(5, '0');
    const team: FakeWorkspace = {
      teamId: input.teamId,
      teamName: input.teamName ?? `Workspace ${input.teamId}`,
      ...(input.enterpriseId ? { enterpriseId: input.enterpriseId } : {}),
      botUserId: input.botUserId ?? `U0BOT${n}`,
      botId: input.botId ?? `B0BOT${n}`,
    };
    this.teams.set(team.teamId, team);
    return team;
  }

  team(teamId: string): FakeWorkspace | undefined {
    return this.teams.get(teamId);
  }

  /** The workspace whose bot user this is. */
  teamOfBotUser(userId: string): FakeWorkspace | undefined {
    return [...this.teams.values()].find((t) => t.botUserId === userId);
  }

  addToken(token: Omit<FakeToken, 'revoked'>): FakeToken {
    const stored = { ...token, revoked: false };
    this.tokens.set(token.token, stored);
    return stored;
  }

  lookup(token: string): FakeToken | undefined {
    return this.tokens.get(token);
  }

  /** The live bot tokens of a workspace. */
  botTokensOf(teamId: string): string[] {
    return [...this.tokens.values()]
      .filter((t) => t.kind === 'bot' && t.teamId === teamId && !t.revoked)
      .map((t) => t.token);
  }

  /** What an uninstall (or an admin's revocation) does: every bot token of the workspace stops working. */
  revokeTeam(teamId: string): void {
    for (const t of this.tokens.values()) if (t.kind === 'bot' && t.teamId === teamId) t.revoked = true;
  }

  issueAppToken(scopes: string[]): string {
    const token = `xapp-1-${this.app.appId}-${digits(13)}-${randomBytes(32).toString('hex')}`;
    this.addToken({ token, kind: 'app', scopes });
    return token;
  }

  /**
   * What Slack does when a person approves the install on its authorize page: the code it redirects their
   * browser back with. The workspace is created if new.
   */
  authorize(input: { teamId: string; userId: string; scopes?: string[]; redirectUri?: string }): string {
    this.add({ teamId: input.teamId });
    const code = `${digits(12)}.${digits(13)}.${randomBytes(32).toString('hex')}`;
    this.codes.set(code, {
      teamId: input.teamId,
      userId: input.userId,
      scopes: input.scopes ?? DEFAULT_BOT_SCOPES,
      ...(input.redirectUri ? { redirectUri: input.redirectUri } : {}),
      issuedAt: this.now(),
      used: false,
    });
    return code;
  }

  /** `oauth.v2.access`: the code for a new bot token of the workspace. */
  exchange(args: Record<string, unknown>, authorization: string | undefined): Record<string, unknown> {
    let clientId = typeof args.client_id === 'string' ? args.client_id : undefined;
    let clientSecret = typeof args.client_secret === 'string' ? args.client_secret : undefined;
    const basic = /^Basic\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    if (basic) {
      const [id, secret] = Buffer.from(basic, 'base64').toString('utf8').split(':');
      clientId = id;
      clientSecret = secret;
    }
    if (!clientId) throw new FakeApiError('invalid_arguments');
    if (clientId !== this.app.clientId) throw new FakeApiError('invalid_client_id');
    if (clientSecret !== this.app.clientSecret) throw new FakeApiError('bad_client_secret');
    if (args.grant_type !== undefined && args.grant_type !== 'authorization_code')
      throw new FakeApiError('invalid_grant_type');
    const code = typeof args.code === 'string' ? this.codes.get(args.code) : undefined;
    if (!code || code.used || this.now() - code.issuedAt > CODE_TTL_MS)
      throw new FakeApiError('invalid_code');
    if (code.redirectUri !== undefined && args.redirect_uri !== code.redirectUri)
      throw new FakeApiError('bad_redirect_uri');
    code.used = true;
    const team = this.add({ teamId: code.teamId });
    const token = `xoxb-${digits(12)}-${digits(13)}-${randomBytes(12).toString('base64url')}`;
    this.addToken({ token, kind: 'bot', teamId: team.teamId, scopes: code.scopes });
    return {
      access_token: token,
      token_type: 'bot',
      scope: code.scopes.join(','),
      bot_user_id: team.botUserId,
      app_id: this.app.appId,
      team: { name: team.teamName, id: team.teamId },
      enterprise: team.enterpriseId
        ? { name: `Enterprise ${team.enterpriseId}`, id: team.enterpriseId }
        : null,
      authed_user: { id: code.userId },
      is_enterprise_install: false,
    };
  }
}

function digits(n: number): string {
  return Array.from(randomBytes(n), (b) => String(b % 10)).join('');
}

/**
 * The bot scopes roundup asks for when it is installed (the manifests list the same, each with why; the
 * manifest test checks they agree).
 */
export const BOT_SCOPES = [
  'commands',
  'chat:write',
  'files:read',
  'files:write',
  'im:write',
  'channels:join',
  'channels:history',
  'groups:history',
  'im:history',
] as const;

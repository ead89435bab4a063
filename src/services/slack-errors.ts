/** The `error` code of a failed Slack Web API call (`channel_not_found`, `ratelimited` …), if it has one. */
export function slackError(err: unknown): string | undefined {
  const data = (err as { data?: { error?: unknown } } | undefined)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

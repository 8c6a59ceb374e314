import { createSlackWebApi } from '../adapters/slack/web-api.ts';
import { readSlackCredentials, type SlackCredentials } from '../adapters/slack/credentials.ts';
import type { SlackApi } from '../domain/slack/ports.ts';

export interface SlackConnection {
  api: SlackApi;
  credentials: SlackCredentials;
}

/**
 * Slack for a function: the credentials from `SLACK_SECRET_NAME` (read when first needed, cached
 * 5 minutes) and one Web API client per bot token. Undefined while the secret says
 * `{"enabled":false}` or no secret is configured: Slack is then simply not used.
 * `SLACK_API_URL` is set only on the local cloud (its Slack stand-in).
 */
export function slackConnection(env: { SLACK_SECRET_NAME?: string | undefined; SLACK_API_URL?: string | undefined }): () => Promise<SlackConnection | undefined> {
  let cached: { token: string; api: SlackApi } | undefined;
  return async () => {
    if (!env.SLACK_SECRET_NAME) return undefined;
    const credentials = await readSlackCredentials(env.SLACK_SECRET_NAME);
    if (!credentials) return undefined;
    if (cached?.token !== credentials.botToken) cached = { token: credentials.botToken, api: createSlackWebApi({ token: credentials.botToken, slackApiUrl: env.SLACK_API_URL }) };
    return { api: cached.api, credentials };
  };
}

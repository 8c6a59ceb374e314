import { ErrorCode, WebClient, type WebAPICallError } from '@slack/web-api';
import { TransientError } from '../../domain/shared/errors.ts';
import type { SlackApi } from '../../domain/slack/ports.ts';

/**
 * Slack's Web API through Slack's own SDK (@slack/web-api). `slackApiUrl` is the SDK's
 * documented option for another base URL: the local cloud's Slack stand-in (local/slack/).
 * Rate limits (HTTP 429) and transport failures become TransientError, so the Step
 * Functions Retry waits them out; the SDK itself retries only briefly (a Lambda has seconds).
 * https://docs.slack.dev/tools/node-slack-sdk/web-api/
 */
export function createSlackWebApi(options: { token: string; slackApiUrl?: string | undefined }): SlackApi {
  const client = new WebClient(options.token, {
    ...(options.slackApiUrl ? { slackApiUrl: options.slackApiUrl } : {}),
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 1, factor: 1, minTimeout: 200, maxTimeout: 500 },
    timeout: 3000,
  });

  async function call<T>(method: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      const code = (error as WebAPICallError | undefined)?.code;
      if (code === ErrorCode.RateLimitedError || code === ErrorCode.RequestError || code === ErrorCode.HTTPError) {
        throw new TransientError(`slack ${method}: ${code}; retry later`, { cause: error });
      }
      throw error;
    }
  }
  const platformError = (error: unknown): string | undefined =>
    (error as WebAPICallError | undefined)?.code === ErrorCode.PlatformError ? String((error as { data?: { error?: string } }).data?.error) : undefined;

  return {
    async userIdByEmail(email) {
      try {
        const found = await call('users.lookupByEmail', () => client.users.lookupByEmail({ email }));
        return found.user?.id;
      } catch (error) {
        if (platformError(error) === 'users_not_found') return undefined;
        throw error;
      }
    },
    async emailOfUser(userId) {
      try {
        const found = await call('users.info', () => client.users.info({ user: userId }));
        return found.user?.deleted ? undefined : found.user?.profile?.email;
      } catch (error) {
        if (platformError(error) === 'user_not_found') return undefined;
        throw error;
      }
    },
    async postMessage(message) {
      const posted = await call('chat.postMessage', () => client.chat.postMessage({ channel: message.channel, text: message.text, ...(message.blocks ? { blocks: message.blocks as never } : {}) }));
      return { channel: posted.channel ?? message.channel, ts: posted.ts ?? '' };
    },
    async updateMessage(message) {
      await call('chat.update', () => client.chat.update({ channel: message.channel, ts: message.ts, text: message.text, ...(message.blocks ? { blocks: message.blocks as never } : {}) }));
    },
    async postEphemeral(message) {
      await call('chat.postEphemeral', () => client.chat.postEphemeral({ channel: message.channel, user: message.user, text: message.text }));
    },
  };
}

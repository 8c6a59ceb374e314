import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { z } from 'zod';
import { ConfigError } from '../../domain/shared/errors.ts';
import { callAws } from '../aws/call-aws.ts';

/**
 * The Slack app's bot token and signing secret, one JSON secret in Secrets Manager
 * (`gatehouse/slack`, docs/slack.md). The stack creates it as `{"enabled":false}`: Slack is off
 * until an operator puts the app's values in; no redeploy needed (cached 5 minutes).
 */
export const slackSecretSchema = z.union([
  // The stack's placeholder: {"enabled":false,"unused":"<random>"} (infra/constructs/secrets.ts SlackSecret).
  z.looseObject({ enabled: z.literal(false) }),
  z.strictObject({
    botToken: z.string().regex(/^xoxb-[\x21-\x7e]+$/, 'botToken must be a bot token (xoxb-...)'),
    signingSecret: z.string().min(16),
    /** Where grants, expiries, break-glass and failures are posted (a channel id, e.g. C0123456789). */
    channel: z.string().regex(/^[CG][A-Z0-9]{2,}$/, 'channel must be a channel id (C...)').optional(),
  }),
]);
export type SlackCredentials = Extract<z.infer<typeof slackSecretSchema>, { botToken: string }>;

export async function readSlackCredentials(secretName: string): Promise<SlackCredentials | undefined> {
  const value = await callAws('reading the Slack credentials', () => getSecret(secretName, { maxAge: 300, transform: 'json' }));
  const parsed = slackSecretSchema.safeParse(value);
  if (!parsed.success) {
    throw new ConfigError(`${secretName}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; ')}`);
  }
  return 'botToken' in parsed.data ? (parsed.data as SlackCredentials) : undefined;
}

import { createHmac, timingSafeEqual } from 'node:crypto';
import { UnauthorizedError } from '../shared/errors.ts';
import type { Clock } from '../shared/clock.ts';

/**
 * Slack's request signature (https://api.slack.com/authentication/verifying-requests-from-slack):
 * `X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:<X-Slack-Request-Timestamp>:<raw body>">`, keyed
 * with the app's signing secret. A timestamp more than five minutes from now is refused (Slack's
 * own advice against replays), and the comparison is constant-time. The error never says which
 * check failed.
 */

export const SLACK_SIGNATURE_VERSION = 'v0';
/** Slack: "verify that the request timestamp is within five minutes of the local time". */
export const SLACK_SIGNATURE_WINDOW_SECONDS = 5 * 60;

export const slackSignature = (signingSecret: string, timestamp: string, rawBody: string): string =>
  `${SLACK_SIGNATURE_VERSION}=${createHmac('sha256', signingSecret).update(`${SLACK_SIGNATURE_VERSION}:${timestamp}:${rawBody}`, 'utf8').digest('hex')}`;

export interface SignedSlackRequest {
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: string;
}

export function verifySlackSignature(request: SignedSlackRequest, signingSecret: string, clock: Clock): void {
  const refused = new UnauthorizedError('slack signature: missing, stale or wrong');
  const { timestamp, signature } = request;
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) throw refused;
  const age = Math.abs(clock.now().getTime() / 1000 - Number(timestamp));
  if (age > SLACK_SIGNATURE_WINDOW_SECONDS) throw refused;
  const expected = Buffer.from(slackSignature(signingSecret, timestamp, request.rawBody), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw refused;
}

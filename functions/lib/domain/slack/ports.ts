/**
 * What Gatehouse asks of Slack's Web API (adapters/slack/web-api.ts implements it with
 * @slack/web-api). Blocks are Block Kit JSON (https://api.slack.com/block-kit).
 */
export type SlackBlock = Record<string, unknown>;

export interface SlackMessage {
  /** A channel id, or a user id (the app's DM with that user). */
  channel: string;
  /** The notification text and the fallback where blocks are not shown. */
  text: string;
  blocks?: SlackBlock[];
}

export interface SlackApi {
  /** users.lookupByEmail: the Slack user id of a mailbox, or undefined when no user has it. */
  userIdByEmail(email: string): Promise<string | undefined>;
  /** users.info: the e-mail on a Slack user's profile (needs users:read.email). */
  emailOfUser(userId: string): Promise<string | undefined>;
  /** chat.postMessage; the message's ts. */
  postMessage(message: SlackMessage): Promise<{ channel: string; ts: string }>;
  /** chat.update of a message the app posted. */
  updateMessage(message: SlackMessage & { ts: string }): Promise<void>;
  /** chat.postEphemeral: only `user` sees it. */
  postEphemeral(message: SlackMessage & { user: string }): Promise<void>;
}

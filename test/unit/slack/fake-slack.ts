import type { SlackApi, SlackMessage } from '#lib/domain/slack/ports';

/** Slack's Web API in memory: users by id with their profile e-mail, and every call recorded. */
export class FakeSlack implements SlackApi {
  readonly posted: (SlackMessage & { ts: string })[] = [];
  readonly updated: (SlackMessage & { ts: string })[] = [];
  readonly ephemeral: (SlackMessage & { user: string })[] = [];
  private ts = 1000;

  constructor(readonly users: Record<string, string> = { U0GRACE: 'grace@example.com', U0MALLORY: 'mallory@example.com' }) {}

  userIdByEmail(email: string) {
    return Promise.resolve(Object.entries(this.users).find(([, e]) => e.toLowerCase() === email.toLowerCase())?.[0]);
  }
  emailOfUser(userId: string) {
    return Promise.resolve(this.users[userId]);
  }
  postMessage(message: SlackMessage) {
    const ts = `${(this.ts += 1)}.000100`;
    this.posted.push({ ...message, ts });
    return Promise.resolve({ channel: `D${message.channel}`, ts });
  }
  updateMessage(message: SlackMessage & { ts: string }) {
    this.updated.push(message);
    return Promise.resolve();
  }
  postEphemeral(message: SlackMessage & { user: string }) {
    this.ephemeral.push(message);
    return Promise.resolve();
  }
}

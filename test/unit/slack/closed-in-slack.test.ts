import { describe, expect, it } from 'vitest';
import { requestApproval } from '#lib/domain/approvals/request-approval';
import { approvalInSlack } from '#lib/domain/slack/request-in-slack';
import { showClosedInSlack, showNewestClosedInSlack } from '#lib/domain/slack/closed-in-slack';
import { approvalInput, harness } from '../approvals/fakes.ts';
import { FakeSlack } from './fake-slack.ts';

/** Approvals that close without a click have their Slack message rewritten at once: cancelled (leaver), expired (Record Expiry). */

async function postedInSlack() {
  const h = harness();
  const slack = new FakeSlack();
  await requestApproval({ ...h.requestDeps, slack: approvalInSlack({ slack, approvals: h.approvals, clock: h.clock }) }, approvalInput());
  const approval = h.approvals.only();
  const deps = { slack: () => Promise.resolve(slack), approvals: h.approvals, records: h.requests };
  return { h, slack, approval, deps };
}

const hasButtons = (blocks: unknown) => JSON.stringify(blocks).includes('"actions"');

describe('closed approvals in Slack', () => {
  it('a cancelled approval: its message says cancelled, without buttons; again shows the same', async () => {
    const { h, slack, approval, deps } = await postedInSlack();
    await h.approvals.cancel(approval.approvalId, h.clock.now().toISOString());

    expect(await showClosedInSlack(deps, [approval.approvalId], 'cancelled')).toEqual(['updated']);
    expect(await showClosedInSlack(deps, [approval.approvalId], 'cancelled')).toEqual(['updated']);
    expect(slack.updated).toHaveLength(2);
    expect(slack.updated[0]).toMatchObject({ channel: approval.slackChannel, ts: slack.posted[0]!.ts });
    expect(slack.updated[0]!.text).toMatch(/^Cancelled: the request was cancelled/);
    expect(hasButtons(slack.posted[0]!.blocks)).toBe(true);
    expect(hasButtons(slack.updated[0]!.blocks)).toBe(false);
    expect(slack.updated[1]).toEqual(slack.updated[0]);
  });

  it('leaves an approval that is still pending alone, and one never posted to Slack', async () => {
    const { h, slack, approval, deps } = await postedInSlack();
    expect(await showClosedInSlack(deps, [approval.approvalId, 'no-such-approval'], 'cancelled')).toEqual(['still-pending', 'gone']);
    const quiet = harness();
    await requestApproval(quiet.requestDeps, approvalInput());
    const unposted = quiet.approvals.only();
    await quiet.approvals.cancel(unposted.approvalId, quiet.clock.now().toISOString());
    expect(await showClosedInSlack({ ...deps, approvals: quiet.approvals }, [unposted.approvalId], 'cancelled')).toEqual(['not-in-slack']);
    expect(slack.updated).toHaveLength(0);
    expect(h.approvals.only().status).toBe('pending');
  });

  it('the expired step (the newest approval, still pending) says it expired', async () => {
    const { slack, approval, deps } = await postedInSlack();
    const lookup = { newestApproval: () => Promise.resolve(approval) };
    expect(await showNewestClosedInSlack({ ...deps, lookup }, approval.requestId, approval.executionId, 'expired')).toBe('updated');
    expect(slack.updated[0]!.text).toMatch(/^Expired: the deadline passed before a decision/);
    expect(await showNewestClosedInSlack({ ...deps, lookup: { newestApproval: () => Promise.resolve({ ...approval, status: 'approved' as const }) } }, approval.requestId, approval.executionId, 'expired')).toBe('not-expired: approved');
    expect(slack.updated).toHaveLength(1);
  });

  it('a withdrawn step (the newest approval, cancelled as withdrawn) says who withdrew it and why; a pending one is left alone', async () => {
    const { h, slack, approval, deps } = await postedInSlack();
    const lookup = { newestApproval: () => h.approvals.get(approval.approvalId) };
    expect(await showNewestClosedInSlack({ ...deps, lookup }, approval.requestId, approval.executionId, 'withdrawn')).toBe('not-withdrawn: pending');
    await h.approvals.withdraw(approval.approvalId, { at: h.clock.now().toISOString(), by: 'ada@example.com', as: 'requester', reason: 'fixed without it' });
    expect(await showNewestClosedInSlack({ ...deps, lookup }, approval.requestId, approval.executionId, 'withdrawn')).toBe('updated');
    expect(slack.updated[0]!.text).toMatch(/^Withdrawn before a decision; nothing to decide\. The requester withdrew it: fixed without it/);
    expect(hasButtons(slack.updated[0]!.blocks)).toBe(false);
    expect(slack.updated).toHaveLength(1);
  });

  it('Slack failing or switched off is reported, never thrown', async () => {
    const { h, slack, approval, deps } = await postedInSlack();
    await h.approvals.cancel(approval.approvalId, h.clock.now().toISOString());
    slack.updateMessage = () => Promise.reject(Object.assign(new Error('ratelimited'), { name: 'SlackRateLimitedError' }));
    expect(await showClosedInSlack(deps, [approval.approvalId], 'cancelled')).toEqual(['failed: SlackRateLimitedError']);
    expect(await showClosedInSlack({ ...deps, slack: () => Promise.resolve(undefined) }, [approval.approvalId], 'cancelled')).toEqual(['slack-off']);
  });
});

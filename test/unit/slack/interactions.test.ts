import { describe, expect, it } from 'vitest';
import { UnauthorizedError } from '#lib/domain/shared/errors';
import { requestApproval } from '#lib/domain/approvals/request-approval';
import { APPROVE_ACTION, DENY_ACTION, REASON_ACTION, REASON_BLOCK } from '#lib/domain/slack/approval-message';
import { handleSlackInteraction } from '#lib/domain/slack/interactions';
import { approvalInSlack } from '#lib/domain/slack/request-in-slack';
import { slackSignature } from '#lib/domain/slack/signature';
import { approvalInput, harness, one } from '../approvals/fakes.ts';
import { FakeSlack } from './fake-slack.ts';

const SECRET = 'slack-signing-secret-for-tests';

async function pendingInSlack() {
  const h = harness();
  const slack = new FakeSlack();
  const input = approvalInput();
  const result = one(await requestApproval({ ...h.requestDeps, slack: approvalInSlack({ slack, approvals: h.approvals, clock: h.clock }) }, input));
  h.callbacks.waiting.add(input.taskToken);
  const deps = { approvalDeps: h.pageDeps, slack, signingSecret: () => Promise.resolve(SECRET) };
  const approval = h.approvals.only();
  const click = (options: { user?: string; action?: string; reason?: string; value?: string } = {}) => {
    const payload = {
      type: 'block_actions',
      user: { id: options.user ?? 'U0GRACE' },
      container: { type: 'message', channel_id: 'DU0GRACE', message_ts: slack.posted[0]?.ts ?? '1.1' },
      actions: [{ action_id: options.action ?? APPROVE_ACTION, value: options.value ?? approval.approvalId, type: 'button' }],
      state: { values: { [REASON_BLOCK]: { [REASON_ACTION]: { type: 'plain_text_input', value: options.reason ?? null } } } },
    };
    const rawBody = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    const timestamp = String(Math.floor(h.clock.now().getTime() / 1000));
    return { rawBody, timestamp, signature: slackSignature(SECRET, timestamp, rawBody) };
  };
  return { h, slack, deps, approval, click, result, token: input.taskToken };
}

describe('approval requests in Slack', () => {
  it('posts one Block Kit message to the approver found by e-mail, once however often the step runs', async () => {
    const { h, slack, result, approval } = await pendingInSlack();
    expect(result.slack).toBe('sent');
    expect(slack.posted).toHaveLength(1);
    expect(slack.posted[0]!.channel).toBe('U0GRACE');
    const actions = slack.posted[0]!.blocks!.find((b) => b.type === 'actions') as { elements: { action_id: string; value: string }[] };
    expect(actions.elements.map((e) => e.action_id)).toEqual([APPROVE_ACTION, DENY_ACTION]);
    expect(JSON.stringify(slack.posted[0])).not.toContain(approval.taskToken);

    const again = one(await requestApproval({ ...h.requestDeps, slack: approvalInSlack({ slack, approvals: h.approvals, clock: h.clock }) }, { ...approvalInput(), taskToken: approval.taskToken }));
    expect(again.slack).toBe('already-sent');
    expect(slack.posted).toHaveLength(1);
    expect(h.approvals.only().slackTs).toBe(slack.posted[0]!.ts);
  });

  it('an approver with no Slack account still gets the e-mail, and nothing is posted', async () => {
    const h = harness();
    const slack = new FakeSlack({});
    const result = one(await requestApproval({ ...h.requestDeps, slack: approvalInSlack({ slack, approvals: h.approvals, clock: h.clock }) }, approvalInput()));
    expect(result).toMatchObject({ mail: 'sent', slack: 'no-slack-user' });
    expect(slack.posted).toHaveLength(0);
    expect(h.mailer.sent).toHaveLength(1);
  });
});

describe('Slack interactions', () => {
  it('an Approve click by the approver decides once, audits "in Slack", resumes the task and rewrites the message', async () => {
    const { h, slack, deps, click, token } = await pendingInSlack();
    const result = await handleSlackInteraction(deps, click());
    expect(result).toMatchObject({ outcome: 'decided', decision: 'approved' });
    expect(h.approvals.only()).toMatchObject({ status: 'approved', decidedBy: 'grace@example.com', delivery: 'delivered' });
    expect(h.callbacks.calls).toEqual([expect.objectContaining({ kind: 'succeed', taskToken: token })]);
    expect(h.audit.drafts.find((d) => d.kind === 'approval.approved')?.reason).toContain('in Slack');
    expect(slack.updated).toHaveLength(1);
    expect(slack.updated[0]!.text).toContain('Approved by grace@example.com');
    expect(JSON.stringify(slack.updated[0]!.blocks)).not.toContain(APPROVE_ACTION);
  });

  it('a replayed payload changes nothing', async () => {
    const { h, deps, click } = await pendingInSlack();
    const signed = click();
    await handleSlackInteraction(deps, signed);
    const after = structuredClone(h.approvals.only());
    const replay = await handleSlackInteraction(deps, signed);
    expect(replay).toEqual({ outcome: 'refused', why: 'closed' });
    expect(h.approvals.only()).toEqual(after);
    expect(h.callbacks.calls).toHaveLength(1);
  });

  it('a forged signature and a stale timestamp are 401 and change nothing', async () => {
    const { h, slack, deps, click, approval } = await pendingInSlack();
    const before = structuredClone(h.approvals.only());
    const signed = click();
    await expect(handleSlackInteraction(deps, { ...signed, signature: slackSignature('not-the-secret', signed.timestamp, signed.rawBody) })).rejects.toThrow(UnauthorizedError);
    h.clock.advance(5 * 60 * 1000 + 1000);
    await expect(handleSlackInteraction(deps, signed)).rejects.toThrow(UnauthorizedError);
    await expect(h.approvals.get(approval.approvalId)).resolves.toEqual(before);
    expect(h.callbacks.calls).toHaveLength(0);
    expect(slack.updated).toHaveLength(0);
  });

  it('a click by a Slack user who is not the approver changes nothing and tells only them', async () => {
    const { h, slack, deps, click } = await pendingInSlack();
    const before = structuredClone(h.approvals.only());
    const result = await handleSlackInteraction(deps, click({ user: 'U0MALLORY' }));
    expect(result).toEqual({ outcome: 'refused', why: 'not-the-approver' });
    expect(h.approvals.only()).toEqual(before);
    expect(h.callbacks.calls).toHaveLength(0);
    expect(slack.ephemeral).toEqual([expect.objectContaining({ user: 'U0MALLORY', text: expect.stringContaining('someone else') })]);
  });

  it('a click after expiry changes nothing and the message says it expired', async () => {
    const { h, slack, deps, click } = await pendingInSlack();
    h.clock.advance(3600 * 1000 + 1);
    const before = structuredClone(h.approvals.only());
    const result = await handleSlackInteraction(deps, click());
    expect(result).toEqual({ outcome: 'refused', why: 'expired' });
    expect(h.approvals.only()).toEqual(before);
    expect(h.callbacks.calls).toHaveLength(0);
    expect(slack.updated[0]!.text).toContain('Expired');
  });

  it('Deny needs a reason; with one it denies through the same path', async () => {
    const { h, slack, deps, click } = await pendingInSlack();
    const before = structuredClone(h.approvals.only());
    expect(await handleSlackInteraction(deps, click({ action: DENY_ACTION }))).toEqual({ outcome: 'refused', why: 'reason-required' });
    expect(h.approvals.only()).toEqual(before);
    const denied = await handleSlackInteraction(deps, click({ action: DENY_ACTION, reason: 'Not before INC-4242 closes' }));
    expect(denied).toMatchObject({ outcome: 'decided', decision: 'denied' });
    expect(h.approvals.only()).toMatchObject({ status: 'denied', comment: 'Not before INC-4242 closes' });
    expect(h.callbacks.calls[0]).toMatchObject({ kind: 'fail' });
    expect(slack.updated.at(-1)!.text).toContain('Not before INC-4242 closes');
  });
});

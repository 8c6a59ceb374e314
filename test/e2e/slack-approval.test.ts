import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { hirePayload, leavePayload } from '../../local/demo/hris.ts';
import { finishedExecution } from '../../local/demo/run.ts';
import { accessOf } from '../../local/demo/inspect.ts';
import { waitFor } from '../../local/demo/report.ts';
import type { StandInMessage } from '../../local/slack/stand-in.ts';
import { LOCAL_SLACK_CHANNEL } from '../../local/function-env.ts';
import { approvalSchema, type Approval } from '../../functions/lib/domain/approvals/approval.ts';
import { APPROVE_ACTION } from '../../functions/lib/domain/slack/approval-message.ts';
import { slackSignature } from '../../functions/lib/domain/slack/signature.ts';
import { employeeId, expectedAccess, finishedJoiner, startE2eCloud, userNameOf, type E2eCloud } from './support/e2e-cloud.ts';

/**
 * Approving in Slack on the local cloud (issue #17): approval-request posts a Block Kit message
 * to the approver found by e-mail in the Slack stand-in; the stand-in clicks as Slack does
 * (signed v0 HMAC) and /slack/interactions decides through the approval page's path. Forged,
 * stale, replayed, wrong-user and after-expiry clicks each change nothing (asserted on the
 * approvals item and on the execution). APPROVAL_TIMEOUT_SECONDS is 20 here.
 */

const MANAGER = 'dana.lead@example.com';
const FINANCE_OWNERS = 'finance-owners@example.com';
let e2e: E2eCloud;
let doc: DynamoDBDocumentClient;

beforeAll(async () => {
  e2e = await startE2eCloud('slack', { functionEnv: { APPROVAL_TIMEOUT_SECONDS: '20' } });
  doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
});

afterAll(async () => {
  doc?.destroy();
  await e2e?.stop();
});

const hasButtons = (m: StandInMessage) => JSON.stringify(m.blocks ?? []).includes(APPROVE_ACTION);

/** The newest approval message in `approver`'s DM that names `about`. */
function messageFor(approver: string, about: string): Promise<StandInMessage> {
  const user = e2e.cloud.slack.userIdOf(approver);
  return waitFor(`a Slack approval message to ${approver} about ${about}`, () =>
    Promise.resolve([...e2e.cloud.slack.messages].reverse().find((m) => m.channel === `D${user?.slice(1)}` && hasButtons(m) && JSON.stringify(m.blocks).includes(about))),
  30_000);
}

/** The approval a message asks about (its first version: an outcome rewrite has no buttons). */
async function approvalOf(message: StandInMessage): Promise<Approval> {
  const buttons = (message.history[0]?.blocks ?? []).flatMap((b) => ((b as { type?: string }).type === 'actions' ? ((b as { elements: { value?: string }[] }).elements) : []));
  const approvalId = buttons[0]?.value;
  if (!approvalId) throw new Error(`message ${message.ts} carries no approval id: ${JSON.stringify(message.blocks)}`);
  const { Item } = await doc.send(new GetCommand({ TableName: e2e.cloud.env.APPROVALS_TABLE_NAME, Key: { approvalId }, ConsistentRead: true }));
  return approvalSchema.parse(Item);
}

const interactions = (headers: Record<string, string>, body: string) =>
  fetch(`${e2e.frontDoor}/slack/interactions`, { method: 'POST', headers, body, signal: AbortSignal.timeout(15_000) });

describe.concurrent('approvals in Slack on the local cloud', () => {
  it('forged, stale, wrong-user clicks change nothing; the approvers approve in Slack and the hire is provisioned; a replay changes nothing', async ({ expect }) => {
    const id = employeeId('slk');
    const delivery = `${id}-hire`;
    expect((await e2e.hris.post(hirePayload({ id, role: 'finance-admin', managerEmail: MANAGER }), delivery)).status).toBe(202);

    const first = await messageFor(MANAGER, id);
    const pending = await approvalOf(first);
    expect(pending).toMatchObject({ status: 'pending', slackTs: first.ts });
    expect(first.text).toContain(id);

    const signed = e2e.cloud.slack.signedClick({ ts: first.ts, action: 'approve' });
    const forged = await interactions({ ...signed.headers, 'x-slack-signature': slackSignature('not-the-signing-secret', signed.headers['x-slack-request-timestamp']!, signed.body) }, signed.body);
    expect(forged.status).toBe(401);
    const staleAt = new Date(Date.now() - 6 * 60 * 1000);
    const stale = e2e.cloud.slack.signedClick({ ts: first.ts, action: 'approve', now: staleAt });
    expect((await interactions(stale.headers, stale.body)).status).toBe(401);
    const mallory = await e2e.cloud.slack.click({ ts: first.ts, action: 'approve', as: 'mallory@example.com' });
    expect(mallory.status).toBe(200);
    expect(e2e.cloud.slack.messages.some((m) => m.ephemeralFor === e2e.cloud.slack.userIdOf('mallory@example.com') && m.text.includes('someone else'))).toBe(true);
    expect(await approvalOf(first)).toEqual(pending);
    expect(await accessOf(id, userNameOf(id))).toMatchObject({ userId: undefined });

    const approved = await interactions(signed.headers, signed.body);
    expect(approved.status).toBe(200);
    const decided = await approvalOf(first);
    expect(decided).toMatchObject({ status: 'approved', decidedBy: MANAGER, delivery: 'delivered' });
    expect(e2e.cloud.slack.messages.find((m) => m.ts === first.ts)?.text).toContain(`Approved by ${MANAGER}`);
    const replay = await interactions(signed.headers, signed.body);
    expect(replay.status).toBe(200);
    expect(await approvalOf(first)).toEqual(decided);

    const second = await messageFor(FINANCE_OWNERS, id);
    expect((await e2e.cloud.slack.click({ ts: second.ts, action: 'approve' })).status).toBe(200);
    const execution = await finishedJoiner(e2e.sfn, `generic-${delivery}`);
    expect(execution.status).toBe('SUCCEEDED');
    const access = await accessOf(id, userNameOf(id));
    expect(access.groups).toEqual(expectedAccess('finance-admin').groups);
    expect(access.auditKinds.filter((k) => k === 'approval.approved')).toHaveLength(2);
    // The grant is also posted to the operators' channel (notify).
    expect(e2e.cloud.slack.messages.filter((m) => m.channel === LOCAL_SLACK_CHANNEL && m.text.startsWith(`Access ready for`) && m.text.includes(id))).toHaveLength(1);
  });

  it('a leave cancels the pending approval, and its message says cancelled at once, without buttons', async ({ expect }) => {
    const id = employeeId('slc');
    expect((await e2e.hris.post(hirePayload({ id, role: 'finance-admin', managerEmail: MANAGER }), `${id}-hire`)).status).toBe(202);
    const message = await messageFor(MANAGER, id);
    expect((await e2e.hris.post(leavePayload({ id, immediate: true }), `${id}-leave`)).status).toBe(202);
    const leaver = await finishedExecution(e2e.sfn, 'leaver', `generic-${id}-leave`, 30_000);
    expect(leaver.status).toBe('SUCCEEDED');
    expect((await approvalOf(message)).status).toBe('cancelled');
    const rewritten = e2e.cloud.slack.messages.find((m) => m.ts === message.ts);
    expect(rewritten?.text).toContain('Cancelled');
    expect(JSON.stringify(rewritten?.blocks)).not.toContain('"actions"');
  });

  it('the message of an expired approval says so without a click (Record Expiry), and a click after it changes nothing', async ({ expect }) => {
    const id = employeeId('slx');
    const delivery = `${id}-hire`;
    expect((await e2e.hris.post(hirePayload({ id, role: 'finance-admin', managerEmail: MANAGER }), delivery)).status).toBe(202);
    const message = await messageFor(MANAGER, id);
    const pending = await approvalOf(message);
    // A click from a client that still shows the buttons, signed now and delivered after the expiry.
    const late = e2e.cloud.slack.signedClick({ ts: message.ts, action: 'approve' });
    await sleep(Math.max(0, Date.parse(pending.expiresAt) - Date.now() + 100));
    const execution = await finishedJoiner(e2e.sfn, `generic-${delivery}`);
    expect(JSON.parse(execution.output ?? '{}')).toMatchObject({ outcome: { status: 'expired' } });
    const rewritten = e2e.cloud.slack.messages.find((m) => m.ts === message.ts);
    expect(rewritten?.text).toContain('Expired');
    expect(JSON.stringify(rewritten?.blocks)).not.toContain('"actions"');
    const clicked = await interactions(late.headers, late.body);
    expect(clicked.status).toBe(200);
    expect((await approvalOf(message)).status).toBe('pending');
    expect(e2e.cloud.slack.messages.find((m) => m.ts === message.ts)?.text).toContain('Expired');
    expect(await accessOf(id, userNameOf(id))).toMatchObject({ userId: undefined, activeGrants: 0 });
  });
});

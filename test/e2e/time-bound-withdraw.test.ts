import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executionArn } from '../../local/core/arn.ts';
import { approvalLink, openLink } from '../../local/demo/approver.ts';
import { hirePayload } from '../../local/demo/hris.ts';
import { finishedExecution } from '../../local/demo/run.ts';
import { createAuditStore } from '../../functions/lib/adapters/dynamodb/audit.ts';
import { runRequestsCli } from '../../tools/requests-cli.ts';
import { APPROVE_ACTION } from '../../functions/lib/domain/slack/approval-message.ts';
import { notificationMail, notificationMails } from './support/notifications.ts';
import { until } from '../support/poll.ts';
import { employeeId, finishedJoiner, startE2eCloud, userNameOf, type E2eCloud } from './support/e2e-cloud.ts';

/**
 * Withdrawing a time-bound request that waits for approval, on the whole local cloud (issue #18):
 * through the front door with local OIDC tokens, the open approval's task fails under
 * RequestWithdrawnError, the time-bound execution ends SUCCEEDED with the outcome `withdrawn`, the
 * approver is mailed the real reason once, the link and the Slack copy say withdrawn, the audit trail holds one
 * `request.withdrawn` by the requester; a replay (through the CLI) answers the same and adds nothing.
 */

const MANAGER = 'dana.lead@example.com';
let e2e: E2eCloud;

beforeAll(async () => {
  e2e = await startE2eCloud('withdraw');
});

afterAll(async () => {
  await e2e?.stop();
});

async function hire(id: string): Promise<void> {
  await e2e.hris.post(hirePayload({ id, role: 'sales', managerEmail: MANAGER }), `${id}-hire`);
  expect((await finishedJoiner(e2e.sfn, `generic-${id}-hire`)).status).toBe('SUCCEEDED');
}

async function api(method: string, path: string, email: string, body?: unknown, groups: string[] = []) {
  const token = await e2e.cloud.issueToken({ email, groups });
  const res = await fetch(`${e2e.frontDoor}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(path === '/access-requests' ? { 'idempotency-key': 'withdraw-e2e-1' } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function auditOf(id: string) {
  const client = new DynamoDBClient({});
  try {
    return await createAuditStore({ client, tableName: e2e.cloud.env.AUDIT_TABLE_NAME ?? '', clock: { now: () => new Date() } }).listBySubject(id);
  } finally {
    client.destroy();
  }
}

describe('withdrawing a pending time-bound request on the local cloud', () => {
  it('the requester withdraws a colleague\'s pending request: outcome withdrawn, the approver told why once, audited once; the colleague may not (403)', async () => {
    const requester = employeeId('wr');
    const colleague = employeeId('wc');
    await Promise.all([hire(requester), hire(colleague)]);
    const asked = await api('POST', '/access-requests', userNameOf(requester), { entitlementId: 'group:ProdAdmin', duration: 'PT1H', justification: 'INC-5150: inspect the payments queue', employeeId: colleague });
    expect(asked.status).toBe(202);
    const requestId = String(asked.body.requestId);
    const link = await approvalLink(e2e.cloud.endpoints.ses, MANAGER, colleague, 20_000);
    // Its Slack copy, with buttons, in the manager's DM (the local Slack stand-in).
    const slackUser = e2e.cloud.slack.userIdOf(MANAGER);
    const inSlack = await until(
      () => Promise.resolve(e2e.cloud.slack.messages.find((m) => m.channel === `D${slackUser?.slice(1)}` && JSON.stringify(m.blocks ?? []).includes(APPROVE_ACTION) && JSON.stringify(m.blocks).includes(colleague))),
      (m) => m !== undefined,
      { timeoutMs: 10_000, everyMs: 100 },
    );
    await until(() => api('GET', `/access-requests/${requestId}`, userNameOf(requester)), (res) => res.body.status === 'pending-approval', { timeoutMs: 10_000, everyMs: 250 });

    // The person it is for sees it but did not ask: 403, and nothing changes.
    const refused = await api('POST', `/access-requests/${requestId}/withdraw`, userNameOf(colleague), { reason: 'not me' });
    expect(refused.status).toBe(403);
    expect((await openLink(link)).csrf).toBeDefined();

    const withdrawn = await api('POST', `/access-requests/${requestId}/withdraw`, userNameOf(requester), { reason: 'Fixed it from the logs; no prod access needed' });
    expect(withdrawn).toEqual({ status: 202, body: { requestId, status: 'withdrawn' } });
    const run = await finishedExecution(e2e.sfn, 'time-bound', requestId, 20_000);
    expect(run.status).toBe('SUCCEEDED');
    expect((JSON.parse(run.output ?? '{}') as { outcome?: unknown }).outcome).toMatchObject({ result: 'withdrawn', words: 'withdrawn (by the requester or an operator, before a decision)' });
    expect((await api('GET', `/access-requests/${requestId}`, userNameOf(requester))).body.status).toBe('withdrawn');

    const mail = await notificationMail(e2e.cloud.endpoints.ses, /^No decision needed any more: /, requestId);
    expect(mail.destination.to).toEqual([MANAGER]);
    expect(mail.body.text).toContain('The requester withdrew it: Fixed it from the logs; no prod access needed');
    const rewritten = e2e.cloud.slack.messages.find((m) => m.ts === inSlack?.ts);
    expect(rewritten?.text).toContain('Withdrawn before a decision; nothing to decide. The requester withdrew it: Fixed it from the logs');
    expect(JSON.stringify(rewritten?.blocks)).not.toContain(APPROVE_ACTION);
    const page = await openLink(link);
    expect(page.csrf).toBeUndefined();
    expect(page.html).toContain('This request was withdrawn');
    expect(page.html).toContain('The requester withdrew it: Fixed it from the logs; no prod access needed');

    // A replay through the CLI: the same answer, no second mail, no second audit entry.
    const out: string[] = [];
    const err: string[] = [];
    const token = await e2e.cloud.issueToken({ email: userNameOf(requester) });
    const code = await runRequestsCli('withdraw', [requestId, '--api', e2e.frontDoor, '--token', token], { stdout: (t) => void out.push(t), stderr: (t) => void err.push(t) }, { env: {}, cwd: process.cwd(), fetch });
    expect([code, err.join(''), out.join('')]).toEqual([0, '', `${requestId}: withdrawn (the approvers are told; their links no longer work); follow it with: gatehouse status ${requestId}\n`]);
    const described = await e2e.sfn.send(new DescribeExecutionCommand({ executionArn: executionArn('time-bound', requestId) }));
    expect(described.stopDate).toEqual(run.stopDate);
    expect(await notificationMails(e2e.cloud.endpoints.ses, /^No decision needed any more: /, requestId)).toHaveLength(1);

    const entries = (await auditOf(colleague)).filter((entry) => entry.requestId === requestId);
    const withdrawal = entries.filter((entry) => entry.kind === 'request.withdrawn');
    expect(withdrawal).toHaveLength(1);
    expect(withdrawal[0]).toMatchObject({ actor: `employee:${userNameOf(requester)}`, reason: 'The requester withdrew it: Fixed it from the logs; no prod access needed', detail: { by: 'requester' } });
    expect(entries.map((entry) => entry.kind)).not.toContain('grant.applied');
  }, 60_000);
});

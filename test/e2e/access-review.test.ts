import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvalLink, decide, openLink, submitDecision } from '../../local/demo/approver.ts';
import { hirePayload } from '../../local/demo/hris.ts';
import { accessOf } from '../../local/demo/inspect.ts';
import { finishedExecution } from '../../local/demo/run.ts';
import { fetchSentMails } from '../../local/ses-local.ts';
import { exportTableLocally } from '../../functions/lib/adapters/dynamodb/audit-local-export.ts';
import { localExportSource } from '../../functions/lib/domain/audit-export/reader.ts';
import { verifyExport } from '../../functions/lib/domain/audit-export/verify.ts';
import { runReviewCli } from '../../tools/review-cli.ts';
import { until } from '../support/poll.ts';
import { employeeId, finishedJoiner, startE2eCloud, userNameOf, type E2eCloud } from './support/e2e-cloud.ts';

/**
 * An access review on the whole local cloud with a compressed clock (due in 12 s, a reminder
 * every 5 s, 5 s of escalation: the schema's floors are 10 and 5): a lead reviews two engineers in the console (keeps one, revokes
 * the other), cannot review their own access, and an engineer cannot decide an item that is not
 * theirs; the lead's own manager never answers, is reminded and escalated, and the defaults
 * apply (low risk kept, high risk revoked). Revoked access is gone from the Identity Store, the
 * role-sourced revokes raise findings, the report rows are exactly the expected ones, and the
 * report rebuilt from the audit export is the same file.
 */

const VP = 'vic.vp@example.com';
const OWNER = 'platform-owners@example.com';
let e2e: E2eCloud;
const out = mkdtempSync(join(tmpdir(), 'gatehouse-review-'));

beforeAll(async () => {
  e2e = await startE2eCloud('review');
});

afterAll(async () => {
  await e2e?.stop();
  rmSync(out, { recursive: true, force: true });
});

async function hire(id: string, role: string, managerEmail: string, approvers: string[] = []): Promise<void> {
  await e2e.hris.post(hirePayload({ id, role, managerEmail }), `${id}-hire`);
  for (const approver of approvers) await decide(await approvalLink(e2e.cloud.endpoints.ses, approver, id, 60_000), 'approve');
  const joiner = await finishedJoiner(e2e.sfn, `generic-${id}-hire`);
  if (joiner.status !== 'SUCCEEDED') throw new Error(`joiner of ${id} ${joiner.status}`);
}

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runReviewCli(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) }, { env: { ...process.env, ...e2e.cloud.env, GATEHOUSE_FRONT_DOOR: e2e.frontDoor } });
  return { code, stdout, stderr };
}

async function api(method: string, path: string, email: string, body?: unknown, groups: string[] = []) {
  const token = await e2e.cloud.issueToken({ email, groups });
  const res = await fetch(`${e2e.frontDoor}${path}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('access review on the local cloud', () => {
  it('runs a campaign end to end with time-compressed deadlines and evidence rebuilt from the export', async () => {
    const lead = employeeId('lead');
    const eng = employeeId('eng');
    const eng2 = employeeId('eng2');
    const leadEmail = userNameOf(lead);
    // The lead is a platform engineer (ProdAdmin is high risk: manager and owner approve the hire).
    // The three hires run side by side (the engineers' manager need not exist yet: the review reads it at the snapshot).
    await Promise.all([hire(lead, 'platform-engineer', VP, [VP, OWNER]), hire(eng, 'engineer', leadEmail), hire(eng2, 'engineer', leadEmail)]);
    expect((await accessOf(lead, leadEmail)).groups).toContain('ProdAdmin');

    const campaign = `rev-${lead.toLowerCase()}`.slice(0, 64);
    const started = await cli('start', '--id', campaign, '--name', 'Prod access Q4', '--scope', 'entitlements:group:ProdReadOnly,group:ProdAdmin', '--due', '12', '--remind', '5', '--escalate', '5');
    expect(started).toMatchObject({ code: 0 });

    // The lead's queue: the two engineers' ProdReadOnly; never their own items.
    const queue = await until(() => api('GET', '/api/reviews', leadEmail), (res) => (res.body.items as unknown[] | undefined)?.length === 2, { timeoutMs: 30_000, everyMs: 500 });
    const items = queue.body.items as { itemId: string; employeeId: string; campaignId: string }[];
    expect(items.map((item) => item.employeeId).sort()).toEqual([eng, eng2].sort());
    const itemOf = (person: string) => items.find((item) => item.employeeId === person)!.itemId;

    // Refusals: the engineer deciding a colleague's item; the lead deciding their own (routed to the VP).
    const notTheirs = await api('POST', `/api/reviews/${campaign}/decisions`, userNameOf(eng), { itemIds: [itemOf(eng2)], decision: 'keep' });
    expect(notTheirs.status).toBe(403);
    const ownItem = `${lead}#group:ProdReadOnly#role#platform-engineer`;
    const self = await api('POST', `/api/reviews/${campaign}/decisions`, leadEmail, { itemIds: [ownItem], decision: 'keep' });
    expect(self).toMatchObject({ status: 403, body: { message: 'a person cannot review their own access' } });

    const kept = await api('POST', `/api/reviews/${campaign}/decisions`, leadEmail, { itemIds: [itemOf(eng)], decision: 'keep' });
    expect(kept).toMatchObject({ status: 200, body: { decided: 1 } });
    // eng2's item by the e-mailed link: GET shows it and changes nothing; a POST without the cookie is refused; with it, decided.
    const link = await until(
      async () => {
        const mail = (await fetchSentMails(e2e.cloud.endpoints.ses)).find((m) => m.destination.to.includes(leadEmail) && (m.body.text ?? '').includes(`/reviews/${campaign}/`));
        return /https?:\/\/[^\s"<>]+\/reviews\/[A-Za-z0-9_-]+\/[A-Za-z0-9_-]{43}/.exec(mail?.body.text ?? '')?.[0];
      },
      (found) => found !== undefined,
      { timeoutMs: 20_000, everyMs: 500 },
    );
    const page = await openLink(link!);
    expect(page.status).toBe(200);
    expect(page.html).toContain(itemOf(eng2));
    expect(page.html).not.toContain(itemOf(eng));
    const stillOpen = (await api('GET', '/api/reviews', leadEmail)).body.items as { itemId: string }[];
    expect(stillOpen.map((item) => item.itemId)).toContain(itemOf(eng2));
    expect((await submitDecision(link!, { item: itemOf(eng2), decision: 'revoke', justification: 'moved to the data team', csrf: page.csrf! })).status).toBe(403);
    // A revoke says why: without a reason it is refused, with one it is decided.
    expect((await submitDecision(link!, { item: itemOf(eng2), decision: 'revoke', csrf: page.csrf! }, page.cookie)).status).toBe(400);
    expect((await submitDecision(link!, { item: itemOf(eng2), decision: 'revoke', justification: 'moved to the data team', csrf: page.csrf! }, page.cookie)).status).toBe(303);
    expect((await api('GET', '/api/reviews', leadEmail)).body.items).toEqual([]);

    // The VP never answers: reminded (invitation + ticks), then escalated to the owner group; the defaults apply.
    const execution = await finishedExecution(e2e.sfn, 'access-review', campaign, 120_000);
    expect(execution.status).toBe('SUCCEEDED');
    const mails = await fetchSentMails(e2e.cloud.endpoints.ses);
    const toVp = mails.filter((mail) => mail.destination.to.includes(VP) && mail.subject.includes('Prod access Q4'));
    expect(toVp.length).toBeGreaterThanOrEqual(2);
    expect(mails.some((mail) => mail.destination.to.includes(OWNER) && mail.subject.includes('escalated'))).toBe(true);

    // Revoked access is gone: eng2's ProdReadOnly (reviewer), the lead's ProdAdmin (high-risk default); kept stays.
    expect((await accessOf(eng2, userNameOf(eng2))).groups).not.toContain('ProdReadOnly');
    expect((await accessOf(lead, leadEmail)).groups).not.toContain('ProdAdmin');
    expect((await accessOf(lead, leadEmail)).groups).toContain('ProdReadOnly');
    expect((await accessOf(eng, userNameOf(eng))).groups).toContain('ProdReadOnly');

    // A decision on the closed campaign is refused.
    const late = await api('POST', `/api/reviews/${campaign}/decisions`, leadEmail, { itemIds: [itemOf(eng)], decision: 'revoke' });
    expect(late.status).toBe(409);

    const status = await cli('status', campaign);
    expect(status.stdout).toContain('closed, execution SUCCEEDED');

    const live = await cli('report', campaign);
    expect(live.code).toBe(0);
    const rows = live.stdout.trim().split('\r\n').map((line) => line.split(','));
    expect(rows[0]).toEqual(['person', 'entitlement', 'source', 'reviewer', 'decision', 'decided_by', 'justification', 'decided_at', 'remediated_at']);
    const body = rows.slice(1).map(([person, entitlement, source, reviewer, decision, by, justification, decidedAt, remediatedAt]) => [person, entitlement, source, reviewer, decision, by, justification, Boolean(decidedAt), Boolean(remediatedAt)]);
    const expected = [
      [eng, 'group:ProdReadOnly', 'role:engineer', leadEmail, 'keep', 'reviewer', '', true, false],
      [eng2, 'group:ProdReadOnly', 'role:engineer', leadEmail, 'revoke', 'reviewer', 'moved to the data team', true, true],
      // Both of the lead's items were escalated to the owner group (the VP has no manager in Gatehouse): it answered for them at the deadline.
      [lead, 'group:ProdAdmin', 'role:platform-engineer', OWNER, 'revoke', 'default', '', true, true],
      [lead, 'group:ProdReadOnly', 'role:platform-engineer', OWNER, 'keep', 'default', '', true, false],
    ].sort((a, b) => (`${String(a[0])}${String(a[1])}` < `${String(b[0])}${String(b[1])}` ? -1 : 1));
    expect(body).toEqual(expected);

    // The same report from the audit export alone; and the export verifies, campaign included.
    const dynamo = new DynamoDBClient({});
    const exported = await exportTableLocally(dynamo, { tableName: e2e.cloud.env.AUDIT_TABLE_NAME!, outDir: out });
    dynamo.destroy();
    const fromExport = await cli('report', campaign, '--export', exported.exportDir);
    expect(fromExport.stdout).toBe(live.stdout);
    const html = await cli('report', campaign, '--format', 'html', '--export', exported.exportDir);
    expect(html.stdout).toContain('every item of the snapshot has a decision; hash verified');
    const verified = await verifyExport(localExportSource(exported.exportDir));
    expect(verified).toMatchObject({ ok: true, breaks: [] });
  }, 300_000);
});

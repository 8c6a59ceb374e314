import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditStore } from '../../functions/lib/adapters/dynamodb/audit.ts';
import type { AuditEntry } from '../../functions/lib/domain/audit/entry.ts';
import { localExportSource, readAuditEntries } from '../../functions/lib/domain/audit-export/reader.ts';
import { runCli } from '../../functions/lib/runtime/audit-export-cli.ts';
import { changePayload, hirePayload, leavePayload } from '../../local/demo/hris.ts';
import { finishedExecution } from '../../local/demo/run.ts';
import { employeeId, finishedJoiner, startE2eCloud, userNameOf, type E2eCloud } from '../e2e/support/e2e-cloud.ts';
import { lifecycleActors, executionWindow } from './lifecycle-support.ts';
import { captureIo } from './support.ts';

/**
 * The auditor's proof on one local cloud: P is hired as a finance admin (manager and owner group
 * approve by link), moved to engineer, gets a high-risk time-bound grant (two approvals) revoked early,
 * is denied a second, gets a low-risk one on top of the role grant, and leaves at once. Q is hired
 * in sales, gets two overlapping time-bound grants of one group, revokes the first early and is still
 * employed. Then `npm run audit -- export`, `verify` and every query, asserted row by row.
 */
let e2e: E2eCloud;
let out: string;
let client: DynamoDBClient;
const P = employeeId('lc-p');
const Q = employeeId('lc-q');
const MANAGER = 'dana.lead@example.com';
const FINANCE = 'finance-owners@example.com';
const PLATFORM = 'platform-owners@example.com';
const req = { pHire: `generic-${P}-hire`, pMove: `generic-${P}-move`, pLeave: `generic-${P}-leave`, qHire: `generic-${Q}-hire` };
const timeBound: Record<'pAdmin' | 'pRaw' | 'pRead' | 'qFirst' | 'qSecond', string> = { pAdmin: '', pRaw: '', pRead: '', qFirst: '', qSecond: '' };
const moment = { hired: '', duringTimeBound: '', left: '' };
/** What each approver typed; the deny's reason has a line break, as a textarea sends it. */
const said = {
  pHireManager: 'Finance admin for the new controller, agreed',
  pHireFinance: 'OK for the Q1 close',
  pAdminManager: 'OK for INC-4242, 1h only',
  pAdminPlatform: 'On-call this week, fine',
  pRawDenied: 'No raw customer data\nwithout a DPA',
};
let tableP: AuditEntry[];
let tableQ: AuditEntry[];

beforeAll(async () => {
  e2e = await startE2eCloud('audit-lifecycle');
  out = await mkdtemp(join(tmpdir(), 'gatehouse-audit-lifecycle-'));
  client = new DynamoDBClient({});
  const audit = createAuditStore({ client, tableName: e2e.cloud.env.AUDIT_TABLE_NAME ?? '', clock: { now: () => new Date() } });
  const act = lifecycleActors(e2e);
  const succeeded = async (machine: string, name: string) => expect((await finishedExecution(e2e.sfn, machine, name, 60_000)).status).toBe('SUCCEEDED');

  expect((await e2e.hris.post(hirePayload({ id: P, role: 'finance-admin', managerEmail: MANAGER }), `${P}-hire`)).status).toBe(202);
  expect((await e2e.hris.post(hirePayload({ id: Q, role: 'sales', managerEmail: MANAGER }), `${Q}-hire`)).status).toBe(202);
  await act.answer(MANAGER, P, 'approve', said.pHireManager);
  await act.answer(FINANCE, P, 'approve', said.pHireFinance);
  expect((await finishedJoiner(e2e.sfn, req.pHire)).status).toBe('SUCCEEDED');
  expect((await finishedJoiner(e2e.sfn, req.qHire)).status).toBe('SUCCEEDED');
  moment.hired = new Date().toISOString();

  expect((await e2e.hris.post(changePayload({ id: P, role: 'engineer', managerEmail: MANAGER }), `${P}-move`)).status).toBe(202);
  await succeeded('mover', req.pMove);
  timeBound.qFirst = await act.ask(Q, 'group:ProdReadOnly', 'PT1H', `${Q}-k1`);
  await act.granted(Q, timeBound.qFirst);
  timeBound.qSecond = await act.ask(Q, 'group:ProdReadOnly', 'PT2H', `${Q}-k2`);
  await act.granted(Q, timeBound.qSecond);
  timeBound.pAdmin = await act.ask(P, 'group:ProdAdmin', 'PT1H', `${P}-k1`);
  await act.answer(MANAGER, P, 'approve', said.pAdminManager);
  await act.answer(PLATFORM, P, 'approve', said.pAdminPlatform);
  await act.granted(P, timeBound.pAdmin);
  moment.duringTimeBound = new Date().toISOString();

  expect(await act.revoke(P, timeBound.pAdmin)).toBe('SUCCEEDED');
  expect(await act.revoke(Q, timeBound.qFirst)).toBe('SUCCEEDED');
  timeBound.pRaw = await act.ask(P, 'group:CustomerDataRaw', 'PT1H', `${P}-k2`);
  await act.answer(MANAGER, P, 'deny', said.pRawDenied);
  await succeeded('time-bound', timeBound.pRaw);
  timeBound.pRead = await act.ask(P, 'group:ProdReadOnly', 'PT1H', `${P}-k3`);
  await act.granted(P, timeBound.pRead);
  expect((await e2e.hris.post(leavePayload({ id: P, immediate: true }), `${P}-leave`)).status).toBe(202);
  await succeeded('leaver', req.pLeave);
  moment.left = new Date().toISOString();
  await sleep(5);

  // PLANTED, not produced by any flow: a provisioning bug (say, a late retry of the move's Record
  // Grants) re-applies group:Engineering after the leave revoked everything. Appended through the
  // real AuditStore, so it is chained like any entry and `verify` stays clean; only the
  // leftover-grants question can find it.
  await audit.append({
    kind: 'grant.applied',
    subject: P,
    entitlementId: 'group:Engineering',
    actor: { type: 'system', id: 'record-grants' },
    requestId: req.pMove,
    executionId: 'planted-by-audit-lifecycle-test',
    reason: 'PLANTED by test/audit/audit-lifecycle.test.ts: re-applied after the leave (a simulated provisioning bug)',
    detail: { basis: 'role', role: 'engineer' },
  });

  expect(await runCli(['export', '--out', out, '--table', e2e.cloud.env.AUDIT_TABLE_NAME ?? ''], captureIo())).toBe(0);
  tableP = await audit.listBySubject(P);
  tableQ = await audit.listBySubject(Q);
}, 120_000);

afterAll(async () => {
  client?.destroy();
  await e2e?.stop();
  if (out) await rm(out, { recursive: true, force: true });
});

type Row = Record<string, string | number>;
async function query(...args: string[]): Promise<Row[]> {
  const io = captureIo();
  expect(await runCli(['query', ...args, '--export', out, '--format', 'json'], io)).toBe(0);
  return JSON.parse(io.out) as Row[];
}
/** The entry the audit table holds at subject#seq (the source of the export's times and ids). */
function stored(subject: string, seq: number): AuditEntry {
  const found = (subject === P ? tableP : tableQ).find((entry) => entry.seq === seq);
  if (!found) throw new Error(`no audit entry ${subject}#${seq}`);
  return found;
}
const at = (subject: string, seq: number) => stored(subject, seq).at;
const detailOf = (subject: string, seq: number) => stored(subject, seq).detail as Record<string, string>;
const pEmail = `employee:${userNameOf(P)}`;

describe('an audit export of hire, approval, move, time-bound grants and leave on the local cloud', () => {
  it('verifies clean: every chain intact, the planted entry included', async () => {
    const io = captureIo();

    expect(await runCli(['verify', '--export', out], io)).toBe(0);
    expect([tableP.length, tableQ.length]).toEqual([39, 11]);
    expect(io.out).toBe('OK: 50 entries, 2 subjects, every chain intact\n');
  });

  it('answers everything that happened to P, in order, as the audit table holds it', async () => {
    const rows = await query('person', P);
    const hire = req.pHire;
    const move = req.pMove;
    const leave = req.pLeave;

    expect(rows.map((row) => [row.seq, row.kind, row.actor, row.entitlementId, row.requestId])).toEqual(
      [
        ['request.received', 'hris:generic', '', hire],
        ['policy.decided', 'system:policy', '', hire],
        ['approval.requested', 'system:approval-request', '', hire],
        ['approval.approved', `approver:${MANAGER}`, '', hire],
        ['approval.requested', 'system:approval-request', '', hire],
        ['approval.approved', `approver:${FINANCE}`, '', hire],
        ...['group:AllStaff', 'group:Finance', 'group:BillingAdmin'].map((id) => ['grant.applied', 'system:record-grants', id, hire]),
        ['request.received', 'hris:generic', '', move],
        ['policy.decided', 'system:policy', '', move],
        ...['group:AllStaff', 'group:Engineering', 'group:ProdReadOnly', 'workstation:dev-arm'].map((id) => ['grant.applied', 'system:record-grants', id, move]),
        ['grant.revoked', 'system:mover', 'group:BillingAdmin', move],
        ['grant.revoked', 'system:mover', 'group:Finance', move],
        ['request.received', pEmail, '', timeBound.pAdmin],
        ['policy.decided', 'system:policy', '', timeBound.pAdmin],
        ['approval.requested', 'system:approval-request', '', timeBound.pAdmin],
        ['approval.approved', `approver:${MANAGER}`, '', timeBound.pAdmin],
        ['approval.requested', 'system:approval-request', '', timeBound.pAdmin],
        ['approval.approved', `approver:${PLATFORM}`, '', timeBound.pAdmin],
        ['grant.applied', 'system:record-time-bound-grants', 'group:ProdAdmin', timeBound.pAdmin],
        ['grant.revoked', pEmail, 'group:ProdAdmin', timeBound.pAdmin],
        ['request.received', pEmail, '', timeBound.pRaw],
        ['policy.decided', 'system:policy', '', timeBound.pRaw],
        ['approval.requested', 'system:approval-request', '', timeBound.pRaw],
        ['approval.denied', `approver:${MANAGER}`, '', timeBound.pRaw],
        ['request.received', pEmail, '', timeBound.pRead],
        ['policy.decided', 'system:policy', '', timeBound.pRead],
        ['grant.applied', 'system:record-time-bound-grants', 'group:ProdReadOnly', timeBound.pRead],
        ['request.received', 'hris:generic', '', leave],
        ...['group:AllStaff', 'group:Engineering', 'group:ProdReadOnly', 'group:ProdReadOnly', 'workstation:dev-arm'].map((id) => ['grant.revoked', 'system:leaver', id, leave]),
        ['grant.applied', 'system:record-grants', 'group:Engineering', move],
      ].map((row, index) => [index + 1, ...row]),
    );
    const commentOf = (e: AuditEntry) => ('comment' in e.detail && typeof e.detail.comment === 'string' ? e.detail.comment.replace(/\s+/g, ' ') : '');
    expect(rows).toEqual(tableP.map((e) => ({ seq: e.seq, at: e.at, kind: e.kind, actor: e.actor, entitlementId: e.entitlementId ?? '', requestId: e.requestId, reason: e.reason, comment: commentOf(e) })));
    expect(rows.filter((row) => row.comment !== '').map((row) => [row.seq, row.kind, row.comment])).toEqual([
      [4, 'approval.approved', said.pHireManager],
      [6, 'approval.approved', said.pHireFinance],
      [21, 'approval.approved', said.pAdminManager],
      [23, 'approval.approved', said.pAdminPlatform],
      [29, 'approval.denied', 'No raw customer data without a DPA'],
    ]);
    expect([rows[15]?.reason, rows[24]?.reason, rows[32]?.reason, rows[36]?.reason]).toEqual([
      'group:BillingAdmin revoked: role finance-admin -> engineer; no remaining active grant justifies it',
      `group:ProdAdmin (time-bound:${timeBound.pAdmin}) revoked early by ${userNameOf(P)}; membership removed`,
      `leave of ${P} immediately, delivered by generic`,
      `group:ProdReadOnly (time-bound:${timeBound.pRead}) revoked: the employee left`,
    ]);
  });

  it('carries each approver’s step in the chain and comment, the deny’s reason with its line break, in the exported entries', async () => {
    const decisions: [number, string, unknown][] = [];

    for await (const { entry } of readAuditEntries(localExportSource(out))) {
      if (entry.subject === P && (entry.kind === 'approval.approved' || entry.kind === 'approval.denied')) decisions.push([entry.seq, entry.kind, entry.detail]);
    }

    const approvalId = (seq: number) => detailOf(P, seq).approvalId;
    expect(decisions.sort((a, b) => a[0] - b[0])).toEqual([
      [4, 'approval.approved', { approvalId: approvalId(4), step: 1, comment: said.pHireManager }],
      [6, 'approval.approved', { approvalId: approvalId(6), step: 2, comment: said.pHireFinance }],
      [21, 'approval.approved', { approvalId: approvalId(21), step: 1, comment: said.pAdminManager }],
      [23, 'approval.approved', { approvalId: approvalId(23), step: 2, comment: said.pAdminPlatform }],
      [29, 'approval.denied', { approvalId: approvalId(29), step: 1, comment: said.pRawDenied }],
    ]);
  });

  it('records every entry (but the planted one) at a time within the execution that wrote it', async () => {
    const flowEntries = [...tableP, ...tableQ].filter((entry) => entry.executionId !== 'planted-by-audit-lifecycle-test');
    const executions = [...new Set(flowEntries.map((entry) => entry.executionId))];
    const windows = new Map(await Promise.all(executions.map(async (arn) => [arn, await executionWindow(e2e, arn)] as const)));

    expect(executions.map((arn) => arn.split(':').at(-1)).sort()).toEqual(
      [req.pHire, req.qHire, req.pMove, req.pLeave, timeBound.pAdmin, `${timeBound.pAdmin}-revoke`, timeBound.pRaw, timeBound.pRead, timeBound.qFirst, `${timeBound.qFirst}-revoke`, timeBound.qSecond].sort(),
    );
    const outside = flowEntries.filter((entry) => {
      const window = windows.get(entry.executionId)!;
      return !(window.start <= Date.parse(entry.at) && Date.parse(entry.at) <= window.stop);
    });
    expect(outside.map((entry) => `${entry.subject}#${entry.seq}`)).toEqual([]);
  });

  it('answers who held an entitlement before the move, during the time-bound grant and after the leave, and on whose approval', async () => {
    const holders = (entitlementId: string, when: string) => query('holders', entitlementId, '--at', when);
    const held = (entitlementId: string, subject: string, seq: number, requestId: string, approvedBy = '') => ({
      subject,
      entitlementId,
      basis: (stored(subject, seq).detail as { basis: string }).basis,
      since: at(subject, seq),
      requestId,
      approvedBy,
    });

    expect(await holders('group:BillingAdmin', moment.hired)).toEqual([held('group:BillingAdmin', P, 9, req.pHire, `${MANAGER} ${FINANCE}`)]);
    expect(await holders('group:ProdReadOnly', moment.hired)).toEqual([]);
    expect(await holders('group:BillingAdmin', moment.duringTimeBound)).toEqual([]);
    expect(await holders('group:ProdAdmin', moment.duringTimeBound)).toEqual([held('group:ProdAdmin', P, 24, timeBound.pAdmin, `${MANAGER} ${PLATFORM}`)]);
    expect(await holders('group:ProdReadOnly', moment.duringTimeBound)).toEqual([
      held('group:ProdReadOnly', P, 14, req.pMove),
      held('group:ProdReadOnly', Q, 7, timeBound.qFirst),
      held('group:ProdReadOnly', Q, 10, timeBound.qSecond),
    ]);
    expect((await holders('group:ProdReadOnly', moment.duringTimeBound)).map((row) => row.basis)).toEqual(['role', 'time-bound', 'time-bound']);
    expect(await holders('group:ProdAdmin', moment.left)).toEqual([]);
    expect(await holders('group:ProdReadOnly', moment.left)).toEqual([held('group:ProdReadOnly', Q, 10, timeBound.qSecond)]);
    expect(await holders('group:AllStaff', moment.left)).toEqual([held('group:AllStaff', Q, 3, req.qHire)]);
    expect(await holders('group:Engineering', moment.left)).toEqual([]);
    expect(await holders('group:Engineering', new Date().toISOString())).toEqual([held('group:Engineering', P, 39, req.pMove)]);
  });

  it('answers every decision each approver made', async () => {
    const decision = (seq: number, decided: 'approved' | 'denied', requestId: string, step: number, comment: string) => ({
      at: at(P, seq),
      subject: P,
      decision: decided,
      approvalId: detailOf(P, seq).approvalId,
      requestId,
      reason: `${decided} at approval step ${step} through the e-mailed link`,
      comment,
    });

    expect(await query('approver', MANAGER)).toEqual([
      decision(4, 'approved', req.pHire, 1, said.pHireManager),
      decision(21, 'approved', timeBound.pAdmin, 1, said.pAdminManager),
      decision(29, 'denied', timeBound.pRaw, 1, 'No raw customer data without a DPA'),
    ]);
    expect(await query('approver', FINANCE)).toEqual([decision(6, 'approved', req.pHire, 2, said.pHireFinance)]);
    expect(await query('approver', PLATFORM)).toEqual([decision(23, 'approved', timeBound.pAdmin, 2, said.pAdminPlatform)]);
    expect(await query('approver', 'data-owners@example.com')).toEqual([]);
  });

  it('answers the grants still open: Q’s role grants and the time-bound grant Q kept, and the planted one', async () => {
    const open = (subject: string, seq: number, entitlementId: string, basis: string, requestId: string, expiresAt = '') => ({ subject, entitlementId, basis, since: at(subject, seq), expiresAt, requestId, approvedBy: '' });

    expect(await query('open-grants')).toEqual([
      open(P, 39, 'group:Engineering', 'role', req.pMove),
      open(Q, 3, 'group:AllStaff', 'role', req.qHire),
      open(Q, 4, 'group:Sales', 'role', req.qHire),
      open(Q, 10, 'group:ProdReadOnly', 'time-bound', timeBound.qSecond, detailOf(Q, 10).expiresAt),
    ]);
  });

  it('answers the grants never revoked after the person left: exactly the planted one', async () => {
    const leftAt = detailOf(P, 33).effectiveAt;

    expect(leftAt).toBeDefined();
    expect(await query('leftover-grants')).toEqual([{ subject: P, entitlementId: 'group:Engineering', basis: 'role', since: at(P, 39), leftAt, requestId: req.pMove }]);
  });

  it('prints the same answers as CSV and as a table', async () => {
    const csv = captureIo();
    const table = captureIo();
    const history = captureIo();

    expect(await runCli(['query', 'leftover-grants', '--export', out, '--format', 'csv'], csv)).toBe(0);
    expect(await runCli(['query', 'person', Q, '--export', out, '--format', 'csv'], history)).toBe(0);
    expect(await runCli(['query', 'open-grants', '--export', out, '--wide'], table)).toBe(0);

    expect(csv.out).toBe(`subject,entitlementId,basis,since,leftAt,requestId\r\n${P},group:Engineering,role,${at(P, 39)},${detailOf(P, 33).effectiveAt},${req.pMove}\r\n`);
    const lines = history.out.split('\r\n');
    expect(lines).toHaveLength(13);
    expect(lines[0]).toBe('seq,at,kind,actor,entitlementId,requestId,reason,comment');
    expect(lines[5]).toBe(`5,${at(Q, 5)},request.received,employee:${userNameOf(Q)},,${timeBound.qFirst},"time-bound access to group:ProdReadOnly for PT1H, asked by ${Q} for themself: audit lifecycle ${Q}-k1",`);
    const tableLines = table.out.split('\n');
    expect(tableLines[0]).toMatch(/^subject +entitlementId +basis +since +expiresAt +requestId +approvedBy$/);
    expect(tableLines[1]).toMatch(/^-+( +-+){6}$/);
    expect(tableLines.slice(2, 6).map((line) => line.split(/ +/).slice(0, 3))).toEqual([
      [P, 'group:Engineering', 'role'],
      [Q, 'group:AllStaff', 'role'],
      [Q, 'group:Sales', 'role'],
      [Q, 'group:ProdReadOnly', 'time-bound'],
    ]);
    expect(tableLines.slice(6)).toEqual(['(4 rows)', '']);
  });
});

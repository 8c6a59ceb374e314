import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../functions/lib/runtime/audit-export-cli.ts';
import { approvalLink, decide } from '../../local/demo/approver.ts';
import { hirePayload } from '../../local/demo/hris.ts';
import { employeeId, finishedJoiner, startE2eCloud, type E2eCloud } from '../e2e/support/e2e-cloud.ts';
import { captureIo, dataFiles, itemOf } from './support.ts';

/**
 * The demo's joiner flows on the local cloud (a low-risk engineer, auto-approved; a high-risk
 * finance admin approved by the manager and the entitlement owner by e-mailed link), the audit
 * table exported with `npm run audit -- export`, then verified and queried from the export alone.
 */
let e2e: E2eCloud;
let out: string;
const ENG = employeeId('aud-eng');
const FIN = employeeId('aud-fin');
const MANAGER = 'dana.lead@example.com';
const OWNERS = 'finance-owners@example.com';
const engRequest = `generic-${ENG}-hire`;
const finRequest = `generic-${FIN}-hire`;

beforeAll(async () => {
  e2e = await startE2eCloud('audit');
  out = await mkdtemp(join(tmpdir(), 'gatehouse-audit-'));
  expect((await e2e.hris.post(hirePayload({ id: ENG, role: 'engineer' }), `${ENG}-hire`)).status).toBe(202);
  expect((await e2e.hris.post(hirePayload({ id: FIN, role: 'finance-admin', managerEmail: MANAGER }), `${FIN}-hire`)).status).toBe(202);
  for (const approver of [MANAGER, OWNERS]) {
    expect(await decide(await approvalLink(e2e.cloud.endpoints.ses, approver, FIN), 'approve', 'ok')).toEqual({ pageStatus: 200, decisionStatus: 303 });
  }
  expect((await finishedJoiner(e2e.sfn, engRequest)).status).toBe('SUCCEEDED');
  expect((await finishedJoiner(e2e.sfn, finRequest)).status).toBe('SUCCEEDED');
  const io = captureIo();
  expect(await runCli(['export', '--out', out, '--table', process.env.AUDIT_TABLE_NAME ?? ''], io)).toBe(0);
}, 120_000);

afterAll(async () => {
  await e2e?.stop();
  if (out) await rm(out, { recursive: true, force: true });
});

async function query(...args: string[]): Promise<Record<string, string | number>[]> {
  const io = captureIo();
  expect(await runCli(['query', ...args, '--export', out, '--format', 'json'], io)).toBe(0);
  return JSON.parse(io.out) as Record<string, string | number>[];
}
const pick = (rows: Record<string, string | number>[], ...columns: string[]) => rows.map((row) => Object.fromEntries(columns.map((c) => [c, row[c]])));

describe('an audit export of joiner flows on the local cloud', () => {
  it("is laid out as DynamoDB's export: manifests and gzipped {Item} lines in DynamoDB JSON", () => {
    const [exportId] = readdirSync(join(out, 'AWSDynamoDB'));
    const exportDir = join(out, 'AWSDynamoDB', exportId!);
    const summary = JSON.parse(readFileSync(join(exportDir, 'manifest-summary.json'), 'utf8')) as Record<string, unknown>;
    const files = dataFiles(exportDir);
    const items = files.flatMap((file) => file.lines.map(itemOf));

    expect(exportId).toMatch(/^\d{14}-[0-9a-f]{8}$/);
    expect(summary).toMatchObject({ version: '2020-06-30', itemCount: 15, outputFormat: 'DYNAMODB_JSON', exportType: 'FULL_EXPORT', manifestFilesS3Key: `AWSDynamoDB/${exportId}/manifest-files.json` });
    expect(files.every((file) => file.key.startsWith(`AWSDynamoDB/${exportId}/data/`) && file.key.endsWith('.json.gz'))).toBe(true);
    expect(existsSync(join(exportDir, '_started'))).toBe(true);
    expect(items).toHaveLength(15);
    expect(items.find((item) => item.subject?.S === FIN && item.seq?.N === '9')).toMatchObject({ kind: { S: 'grant.applied' }, entitlementId: { S: 'group:BillingAdmin' } });
  });

  it('verifies clean', async () => {
    const io = captureIo();

    expect(await runCli(['verify', '--export', out], io)).toBe(0);
    expect(io.out).toBe('OK: 15 entries, 2 subjects, every chain intact\n');
  });

  it('answers everything that happened to a person, in order', async () => {
    expect(pick(await query('person', FIN), 'seq', 'kind', 'actor', 'entitlementId', 'requestId')).toEqual([
      { seq: 1, kind: 'request.received', actor: 'hris:generic', entitlementId: '', requestId: finRequest },
      { seq: 2, kind: 'policy.decided', actor: 'system:policy', entitlementId: '', requestId: finRequest },
      { seq: 3, kind: 'approval.requested', actor: 'system:approval-request', entitlementId: '', requestId: finRequest },
      { seq: 4, kind: 'approval.approved', actor: `approver:${MANAGER}`, entitlementId: '', requestId: finRequest },
      { seq: 5, kind: 'approval.requested', actor: 'system:approval-request', entitlementId: '', requestId: finRequest },
      { seq: 6, kind: 'approval.approved', actor: `approver:${OWNERS}`, entitlementId: '', requestId: finRequest },
      { seq: 7, kind: 'grant.applied', actor: 'system:record-grants', entitlementId: 'group:AllStaff', requestId: finRequest },
      { seq: 8, kind: 'grant.applied', actor: 'system:record-grants', entitlementId: 'group:Finance', requestId: finRequest },
      { seq: 9, kind: 'grant.applied', actor: 'system:record-grants', entitlementId: 'group:BillingAdmin', requestId: finRequest },
    ]);
    expect(pick(await query('person', ENG), 'seq', 'kind', 'entitlementId')).toEqual([
      { seq: 1, kind: 'request.received', entitlementId: '' },
      { seq: 2, kind: 'policy.decided', entitlementId: '' },
      { seq: 3, kind: 'grant.applied', entitlementId: 'group:AllStaff' },
      { seq: 4, kind: 'grant.applied', entitlementId: 'group:Engineering' },
      { seq: 5, kind: 'grant.applied', entitlementId: 'group:ProdReadOnly' },
      { seq: 6, kind: 'grant.applied', entitlementId: 'workstation:dev-arm' },
    ]);
  });

  it('answers who held an entitlement at a moment, and on whose approval', async () => {
    const [grant] = (await query('person', FIN)).filter((row) => row.entitlementId === 'group:BillingAdmin');
    const grantedAt = String(grant!.at);
    const before = new Date(Date.parse(grantedAt) - 1).toISOString();

    expect(pick(await query('holders', 'group:AllStaff', '--at', new Date().toISOString()), 'subject', 'basis', 'requestId', 'approvedBy')).toEqual(
      [
        { subject: ENG, basis: 'role', requestId: engRequest, approvedBy: '' },
        { subject: FIN, basis: 'role', requestId: finRequest, approvedBy: `${MANAGER} ${OWNERS}` },
      ].sort((a, b) => (a.subject < b.subject ? -1 : 1)),
    );
    expect(await query('holders', 'group:BillingAdmin', '--at', grantedAt)).toEqual([
      { subject: FIN, entitlementId: 'group:BillingAdmin', basis: 'role', since: grantedAt, requestId: finRequest, approvedBy: `${MANAGER} ${OWNERS}` },
    ]);
    expect(await query('holders', 'group:BillingAdmin', '--at', before)).toEqual([]);
    // Without --at: holders now (issue #18), the same rows as --at a moment from now.
    expect(await query('holders', 'group:BillingAdmin')).toEqual(await query('holders', 'group:BillingAdmin', '--at', new Date().toISOString()));
    expect(await query('holders', 'group:BillingAdmin')).toHaveLength(1);
  });

  it('answers every decision an approver made', async () => {
    expect(pick(await query('approver', MANAGER), 'subject', 'decision', 'requestId')).toEqual([{ subject: FIN, decision: 'approved', requestId: finRequest }]);
    expect(await query('approver', 'nobody@example.com')).toEqual([]);
  });

  it('answers the grants still open, and (no one has left) no grants left behind', async () => {
    expect(pick(await query('open-grants'), 'subject', 'entitlementId', 'basis')).toEqual(
      [
        ...['group:AllStaff', 'group:Engineering', 'group:ProdReadOnly', 'workstation:dev-arm'].map((entitlementId) => ({ subject: ENG, entitlementId, basis: 'role' })),
        ...['group:AllStaff', 'group:Finance', 'group:BillingAdmin'].map((entitlementId) => ({ subject: FIN, entitlementId, basis: 'role' })),
      ].sort((a, b) => (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0)),
    );
    expect(await query('leftover-grants')).toEqual([]);
  });

  it('prints CSV and a readable table', async () => {
    const csv = captureIo();
    const table = captureIo();

    expect(await runCli(['query', 'approver', OWNERS, '--export', out, '--format', 'csv'], csv)).toBe(0);
    expect(await runCli(['query', 'approver', OWNERS, '--export', out], table)).toBe(0);

    const lines = csv.out.split('\r\n');
    expect(lines[0]).toBe('at,subject,decision,approvalId,requestId,reason,comment');
    expect(lines[1]).toMatch(new RegExp(`^[^,]+,${FIN},approved,[^,]+,${finRequest},approved at approval step 2 through the e-mailed link,ok$`));
    expect(table.out.split('\n')[0]).toMatch(/^at +subject +decision +approvalId +requestId +reason +comment$/);
    expect(table.out).toContain('(1 row; long cells cut to fit 120 columns');
    expect(Math.max(...table.out.split('\n').slice(0, -2).map((line) => line.length))).toBeLessThanOrEqual(120);

    const wide = captureIo();
    expect(await runCli(['query', 'approver', OWNERS, '--export', out, '--wide'], wide)).toBe(0);
    expect(wide.out).toContain('(1 row)');
    expect(wide.out).toContain(`${finRequest}  approved at approval step 2 through the e-mailed link`);
  });
});

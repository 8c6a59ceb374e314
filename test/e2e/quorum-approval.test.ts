import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { approvalLink, openLink, submitDecision } from '../../local/demo/approver.ts';
import { hirePayload } from '../../local/demo/hris.ts';
import { fetchSentMails } from '../../local/ses-local.ts';
import { askAccess, requestAudit, requestStatus } from './support/requests.ts';
import { until } from '../support/poll.ts';
import { employeeId, finishedJoiner, startE2eCloud, type E2eCloud } from './support/e2e-cloud.ts';

/**
 * N-of-M approval on the whole local cloud (issue #17): group:ProdAdmin asks any 3 of 4 named
 * approvers. Each is mailed their own link; the first approval leaves "1 of 3 approvals so far";
 * a replayed POST of that link counts once; the last two approve at the same moment and the
 * request is granted once; the fourth approver's link is cancelled and they are told.
 */

const APPROVERS = ['ana.sec@example.com', 'ben.sec@example.com', 'cy.sec@example.com', 'dee.sec@example.com'];
let e2e: E2eCloud;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gatehouse-quorum-'));
  const catalogue = JSON.parse(readFileSync('config/role-catalogue.json', 'utf8')) as { $schema?: string; entitlements: { id: string }[] };
  delete catalogue.$schema;
  const prodAdmin = catalogue.entitlements.find((entitlement) => entitlement.id === 'group:ProdAdmin');
  Object.assign(prodAdmin as object, { approval: { quorum: { approvers: APPROVERS, required: 3 }, manager: false } });
  const catalogueFile = join(dir, 'catalogue.json');
  writeFileSync(catalogueFile, JSON.stringify(catalogue));
  e2e = await startE2eCloud('quorum', { catalogueFile });
});

afterAll(async () => {
  await e2e?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('an N-of-M approval (3 of 4 named approvers)', () => {
  it('waits for three distinct approvals, counts a replay once, finishes once when two race, and tells the fourth', async ({ expect }) => {
    const id = employeeId('qa');
    await e2e.hris.post(hirePayload({ id, role: 'sales', managerEmail: 'dana.lead@example.com' }), `${id}-hire`);
    expect((await finishedJoiner(e2e.sfn, `generic-${id}-hire`)).status).toBe('SUCCEEDED');

    const requestId = await askAccess(e2e, id, { entitlementId: 'group:ProdAdmin', duration: 'PT1H', justification: 'e2e: quorum on ProdAdmin' }, `${id}-k1`);
    const [ana, ben, cy, dee] = await Promise.all(APPROVERS.map((approver) => approvalLink(e2e.cloud.endpoints.ses, approver, id)));

    // The first approval: counted, the request still waits; the same POST replayed changes nothing.
    const cyPage = await openLink(cy!);
    const fields = { csrf: cyPage.csrf ?? '', decision: 'approve', comment: 'Ticket OPS-7 checks out' };
    expect((await submitDecision(cy!, fields, cyPage.cookie)).status).toBeLessThan(400);
    expect((await submitDecision(cy!, fields, cyPage.cookie)).status).toBe(409);
    expect((await openLink(ana!)).html).toContain('1 of 3 approvals so far: cy.sec@example.com approved (Ticket OPS-7 checks out)');
    expect((await requestStatus(e2e, id, requestId)).status).toBe('pending-approval');

    // The last two at once: one resumes the workflow, the other is counted.
    const [anaPage, benPage] = await Promise.all([openLink(ana!), openLink(ben!)]);
    const posted = await Promise.all([
      submitDecision(ana!, { csrf: anaPage.csrf ?? '', decision: 'approve', comment: '' }, anaPage.cookie),
      submitDecision(ben!, { csrf: benPage.csrf ?? '', decision: 'approve', comment: '' }, benPage.cookie),
    ]);
    expect(posted.map((res) => res.status < 400)).toEqual([true, true]);
    await until(() => requestStatus(e2e, id, requestId), (body) => body.status === 'granted', { timeoutMs: 20_000, everyMs: 250, what: `${requestId} granted` });

    const deePage = await openLink(dee!);
    expect(deePage.csrf).toBeUndefined();
    expect(deePage.html).toContain('No decision is needed from you any more:</strong> Approved with 3 of 3 approvals: cy.sec@example.com approved (Ticket OPS-7 checks out)');
    const toDee = await until(
      async () => (await fetchSentMails(e2e.cloud.endpoints.ses)).filter((m) => m.destination.to.includes(APPROVERS[3]!) && m.subject.startsWith('No decision needed any more')),
      (mails) => mails.length > 0,
      { timeoutMs: 10_000, everyMs: 250, what: 'the cancelled notice to dee' },
    );
    expect(toDee).toHaveLength(1);

    const entries = await requestAudit(e2e, id, requestId);
    const approvals = entries.filter((entry) => entry.kind === 'approval.approved');
    expect(approvals.map((entry) => String(entry.actor)).sort()).toEqual(APPROVERS.slice(0, 3).map((email) => `approver:${email}`).sort());
    expect(approvals[0]?.detail).toMatchObject({ quorum: { required: 3, of: 4, approvedBy: [APPROVERS[2]], outcome: 'pending' } });
    expect(approvals.map((entry) => (entry.detail as { quorum: { outcome: string } }).quorum.outcome)).toContain('approved');
    expect(entries.filter((entry) => entry.kind === 'grant.applied')).toHaveLength(1);
  }, 60_000);
});

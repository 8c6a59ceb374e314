import { ListAccountAssignmentsForPrincipalCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { approvalLink, decide } from '../../local/demo/approver.ts';
import { hirePayload } from '../../local/demo/hris.ts';
import { accessOf } from '../../local/demo/inspect.ts';
import { LOCAL_SSO_INSTANCE_ARN } from '../../local/function-env.ts';
import { fetchSentMails } from '../../local/ses-local.ts';
import { askAccess, requestAudit, requestStatus } from './support/requests.ts';
import { until } from '../support/poll.ts';
import { employeeId, finishedJoiner, startE2eCloud, userNameOf, type E2eCloud } from './support/e2e-cloud.ts';

/**
 * Record Time-Bound Grants failing for good after the assignment was made (issue #17): the
 * time-bound machine deletes the assignment again (DeleteAccountAssignment polled to its end),
 * audits the removal, and the requester's failure mail says what was undone. The fault: Record
 * Time-Bound Grants crashes on every attempt (7 = the first and the canonical retrier's 6);
 * retry waits are compressed a hundredfold, assignments take 300 ms.
 */

const PROD = '111122223333';
let e2e: E2eCloud;
let sso: SSOAdminClient;

beforeAll(async () => {
  e2e = await startE2eCloud('undo-aa', { ssoAssignmentMs: 300, retryDelayScale: 0.01, functionEnv: { ACCOUNT_ASSIGNMENT_POLL_SECONDS: '1' } });
  sso = new SSOAdminClient({});
});

afterAll(async () => {
  sso?.destroy();
  await e2e?.stop();
});

describe('Record Time-Bound Grants fails for good after the account assignment', () => {
  it('deletes the assignment again, audits it, and tells the requester what was undone', async ({ expect }) => {
    const id = employeeId('ua');
    await e2e.hris.post(hirePayload({ id, role: 'sales', managerEmail: 'dana.lead@example.com' }), `${id}-hire`);
    expect((await finishedJoiner(e2e.sfn, `generic-${id}-hire`)).status).toBe('SUCCEEDED');
    const { userId } = await accessOf(id, userNameOf(id));

    e2e.cloud.runtime.injectFault('record-time-bound-grants', 'out-of-memory', 7);
    const requestId = await askAccess(e2e, id, { entitlementId: 'account-assignment:ProdAdministrator', duration: 'PT1H', justification: 'e2e: undo after a failed record' }, `${id}-k1`);
    for (const approver of ['dana.lead@example.com', 'platform-owners@example.com']) {
      expect((await decide(await approvalLink(e2e.cloud.endpoints.ses, approver, id), 'approve')).decisionStatus).toBeLessThan(400);
    }

    await until(() => requestStatus(e2e, id, requestId), (body) => body.status === 'failed', { timeoutMs: 30_000, everyMs: 250, what: `${requestId} failed` });

    const { AccountAssignments = [] } = await sso.send(
      new ListAccountAssignmentsForPrincipalCommand({ InstanceArn: LOCAL_SSO_INSTANCE_ARN, PrincipalType: 'USER', PrincipalId: userId ?? '', Filter: { AccountId: PROD } }),
    );
    expect(AccountAssignments).toEqual([]);

    const entries = await requestAudit(e2e, id, requestId);
    expect(entries.filter((e) => e.kind === 'grant.applied')).toEqual([]);
    const undone = entries.filter((e) => e.kind === 'compensation.applied');
    expect(undone.map((e) => e.detail)).toEqual([{ step: 'Undo Account Assignments', action: 'delete-account-assignment', resourceId: `AdministratorAccess@${PROD}` }]);
    expect(entries.filter((e) => e.kind === 'provisioning.failed')).toHaveLength(1);

    const told = await until(
      async () => (await fetchSentMails(e2e.cloud.endpoints.ses)).filter((m) => m.destination.to.includes(userNameOf(id)) && (m.body.text ?? '').includes('What was undone')),
      (mails) => mails.length > 0,
      { timeoutMs: 10_000, everyMs: 250, what: 'the failure mail to the requester' },
    );
    expect(told[0]?.body.text).toContain('what this request had created was removed again');
  }, 60_000);
});

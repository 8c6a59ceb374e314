import { describe, expect, it } from 'vitest';
import { verifyChain } from '#lib/domain/audit/chain';
import type { ApprovalSummary } from '#lib/domain/outcomes/ports';
import type { Notification } from '#lib/domain/notifications/kinds';
import { recordOutcome, subjectOf, summariseCause } from '#lib/domain/outcomes/record-outcome';
import { recordOutcomeInputSchema, type RecordOutcomeInput } from '#lib/tasks/record-outcome';
import { EXECUTION_ID, EXECUTION_NAME, FakeClock, MemoryAudit, MemoryRequestStatus, StaticApprovals, executionIds, hireEvent } from './fakes.ts';

const LAMBDA_CAUSE = JSON.stringify({
  errorType: 'MissingApproverError',
  errorMessage: 'no one may approve group:BillingAdmin for employee E-1001: its owner group billing@example.com is the subject',
  trace: ['MissingApproverError: no one may approve', '    at buildApprovalChain (/var/task/index.mjs:1:1)'],
});

function setup(approval?: ApprovalSummary) {
  const clock = new FakeClock(new Date('2026-03-05T10:00:00.000Z'));
  const audit = new MemoryAudit(clock);
  const requests = new MemoryRequestStatus();
  requests.records.set(EXECUTION_NAME, { executionId: EXECUTION_ID });
  return { deps: { audit, requests, approvals: new StaticApprovals(approval), clock }, audit, requests };
}

const input = (overrides: Partial<RecordOutcomeInput>): RecordOutcomeInput => ({
  requestId: EXECUTION_NAME,
  employeeId: 'E-1001',
  outcome: 'provisioning.failed',
  error: { Error: 'GroupNotFoundError', Cause: 'group Engineering does not exist' },
  ...executionIds,
  ...overrides,
});

describe('subjectOf and summariseCause', () => {
  it.each([
    ['a hire event', hireEvent({ employeeId: 'C-2001' }), 'C-2001'],
    ['garbage text', 'not json at all', 'unknown'],
    ['null', null, 'unknown'],
    ['an invalid employee id', { employee: { employeeId: 'has spaces and / slashes' } }, 'unknown'],
    ['an array', [1, 2, 3], 'unknown'],
  ])('names the subject of %s', (_case, rejectedInput, expected) => {
    expect(subjectOf({ rejectedInput })).toBe(expected);
  });

  it('keeps the message of a Lambda cause, without its stack or e-mail addresses', () => {
    const summary = summariseCause(LAMBDA_CAUSE);

    expect(summary).toBe('no one may approve group:BillingAdmin for employee E-1001: its owner group <email> is the subject');
  });

  it('truncates a long plain cause and removes control characters', () => {
    const summary = summariseCause(`line one\nline two\t${'x'.repeat(1000)}`, 50);

    expect(summary).toHaveLength(50);
    expect(summary).toMatch(/^line one line two x+…$/);
  });
});

describe('recordOutcome', () => {
  it('audits a provisioning failure with the error name and marks the request failed', async () => {
    const { deps, audit, requests } = setup();

    const result = await recordOutcome(deps, input({}));

    expect(result).toMatchObject({ subject: 'E-1001', status: 'failed', marked: 'marked', auditSeq: 1 });
    // The one outcome shape (the Fail state's Cause): the step the error names; undone unknown without the trail.
    expect(result).toMatchObject({ result: 'failed', words: 'failed: Create Identity Center User', step: 'Create Identity Center User' });
    expect(result).not.toHaveProperty('undone');
    expect(audit.entries[0]).toMatchObject({
      kind: 'provisioning.failed',
      actor: 'system:joiner',
      detail: { error: 'GroupNotFoundError', retryable: false },
      reason: 'provisioning.failed: GroupNotFoundError: group Engineering does not exist',
    });
    expect(requests.records.get(EXECUTION_NAME)).toMatchObject({ status: 'failed', errorName: 'GroupNotFoundError' });
  });

  it('records a rejection of garbage input under the subject `unknown`', async () => {
    const { deps, audit } = setup();
    const raw = {
      requestId: EXECUTION_NAME,
      outcome: 'request.rejected',
      error: { Error: 'ValidationError', Cause: LAMBDA_CAUSE },
      rejectedInput: { hello: ['w', 'o', 'r', 'l', 'd'], employee: 42 },
      ...executionIds,
    };

    const result = await recordOutcome(deps, recordOutcomeInputSchema.parse(raw));

    expect(result).toMatchObject({ subject: 'unknown', status: 'rejected', marked: 'marked' });
    expect(audit.entries[0]).toMatchObject({
      subject: 'unknown',
      kind: 'policy.decided',
      detail: { outcome: 'denied', policyRule: 'request-rejected:ValidationError', entitlementIds: [] },
    });
    expect(JSON.stringify(audit.entries)).not.toContain('billing@example.com');
  });

  it('reuses the approval page key for a denial, so the chain holds one denial', async () => {
    const { deps, audit } = setup({ ref: 'apv-abc', status: 'denied', expiresAt: '2026-03-08T10:00:00.000Z' });
    await audit.append({
      kind: 'approval.denied',
      subject: 'E-1001',
      actor: { type: 'approver', id: 'pat.manager@example.com' },
      requestId: EXECUTION_NAME,
      executionId: EXECUTION_ID,
      reason: 'denied at approval step 1 through the e-mailed link',
      idempotencyKey: 'approval/apv-abc/decided',
      detail: { approvalId: 'apv-abc' },
    });

    const result = await recordOutcome(deps, input({ outcome: 'approval.denied', error: { Error: 'ApprovalDeniedError', Cause: 'Denied at approval step 1.' } }));

    expect(result).toMatchObject({ status: 'denied', auditSeq: 1 });
    expect(audit.entries).toHaveLength(1);
  });

  it('audits an expiry with the approval ref and its expiry time', async () => {
    const { deps, audit } = setup({ ref: 'apv-def', status: 'pending', expiresAt: '2026-03-05T09:59:59.000Z' });

    await recordOutcome(deps, input({ outcome: 'approval.expired', error: { Error: 'States.Timeout' } }));

    expect(audit.entries[0]).toMatchObject({ kind: 'approval.expired', detail: { approvalId: 'apv-def', expiresAt: '2026-03-05T09:59:59.000Z' } });
  });

  it('never reopens a finished request, and a retry audits once', async () => {
    const { deps, audit, requests } = setup();

    await recordOutcome(deps, input({}));
    const retry = await recordOutcome(deps, input({}));
    const other = await recordOutcome(deps, input({ outcome: 'approval.expired', error: { Error: 'States.Timeout' } }));

    expect(retry.marked).toBe('already-marked');
    expect(other.marked).toBe('kept');
    expect(requests.records.get(EXECUTION_NAME)?.status).toBe('failed');
    expect(audit.kinds('E-1001')).toEqual(['provisioning.failed', 'approval.expired']);
    expect(verifyChain(audit.entries)).toEqual({ ok: true });
  });

  it('accepts a missing error and an odd error name', async () => {
    const { deps, audit } = setup();

    await recordOutcome(deps, input({ error: undefined }));
    await recordOutcome(deps, input({ outcome: 'approval.denied', error: { Error: 'Weird name\twith spaces' } }));

    expect(audit.entries.map((entry) => entry.reason)).toEqual(['provisioning.failed: UnknownError', 'approval.denied: Weird_name_with_spaces']);
  });
});

describe('recordOutcome tells the people concerned (domain/notifications)', () => {
  const person = { employeeId: 'E-1001', displayName: 'Alex Newstarter', email: 'alex@example.com', managerEmail: 'pat@example.com' };
  function withNotices(approval?: ApprovalSummary & { decidedBy?: string; comment?: string }, notifyError?: Error) {
    const { deps, audit, requests } = setup(approval);
    const told: Notification[] = [];
    const notices = {
      notify: (n: Notification) => (notifyError ? Promise.reject(notifyError) : Promise.resolve(void told.push(n)).then(() => ({ status: 'sent' }))),
      people: { person: () => Promise.resolve(person) },
      records: { get: () => Promise.resolve(undefined) },
      audit,
    };
    return { deps: { ...deps, notices }, told, audit, requests };
  }

  it('a denial names the approver and their reason', async () => {
    const { deps, told } = withNotices({ ref: 'apv-1', status: 'denied', expiresAt: '2026-03-06T10:00:00.000Z', decidedBy: 'olivia@example.com', comment: 'not in this team' });
    const result = await recordOutcome(deps, input({ outcome: 'approval.denied', error: { Error: 'ApprovalDeniedError' } }));
    expect(result.notice).toBe('sent');
    expect(told).toEqual([expect.objectContaining({ kind: 'denied', person, requestId: EXECUTION_NAME, approverEmail: 'olivia@example.com', reason: 'not in this team', what: 'the joiner request' })]);
  });

  it('a failure says the step the error names and whether compensation undid anything', async () => {
    const { deps, told, audit } = withNotices();
    await recordOutcome(deps, input({ requestId: 'other-request' }));
    await audit.append({ kind: 'compensation.applied', subject: 'E-1001', actor: { type: 'system', id: 'joiner' }, requestId: EXECUTION_NAME, executionId: EXECUTION_ID, reason: 'undo', detail: { step: 'Undo Provisioning', action: 'delete-user' } });
    await recordOutcome(deps, input({}));
    expect(told[0]).toMatchObject({ kind: 'workflow-failed', requestId: 'other-request', undone: false });
    expect(told[1]).toMatchObject({ kind: 'workflow-failed', step: 'Create Identity Center User', error: 'GroupNotFoundError', cause: 'group Engineering does not exist', undone: true });
  });

  it('an identity conflict is its own kind, for operators', async () => {
    const { deps, told } = withNotices();
    await recordOutcome(deps, input({ error: { Error: 'IdentityConflictError', Cause: 'user is linked to E-0999' } }));
    expect(told[0]).toMatchObject({ kind: 'identity-conflict', email: 'alex@example.com', detail: 'user is linked to E-0999' });
  });

  it('a withdrawal: audited as request.withdrawn by the requester in their words, the request marked withdrawn, the voided approver told (cancelled, the real reason); a retry audits once', async () => {
    const withdrawn = { ref: 'apv-w', status: 'cancelled', expiresAt: '2026-03-06T10:00:00.000Z', approver: 'pat@example.com', withdrawnBy: 'ada@example.com', withdrawnAs: 'requester', withdrawReason: 'fixed it without prod access' };
    const { deps, told, audit, requests } = withNotices(withdrawn);
    const run = () => recordOutcome(deps, input({ workflow: 'time-bound', outcome: 'request.withdrawn', error: { Error: 'RequestWithdrawnError', Cause: 'withdrawn by the requester' } }));
    const result = await run();
    await run();
    expect(result).toMatchObject({ result: 'withdrawn', words: 'withdrawn (by the requester or an operator, before a decision)', status: 'withdrawn', marked: 'marked' });
    expect(requests.records.get(EXECUTION_NAME)?.status).toBe('withdrawn');
    expect(audit.entries).toHaveLength(1);
    expect(audit.entries[0]).toMatchObject({ kind: 'request.withdrawn', actor: 'employee:ada@example.com', reason: 'The requester withdrew it: fixed it without prod access', detail: { approvalId: 'apv-w', by: 'requester' } });
    expect(told[0]).toEqual({ kind: 'cancelled', person, requestId: EXECUTION_NAME, approverEmails: ['pat@example.com'], what: 'the time-bound request', reason: 'The requester withdrew it: fixed it without prod access' });
    // An operator's withdrawal is the operator's act.
    const byOperator = withNotices({ ref: 'apv-w', status: 'cancelled', expiresAt: withdrawn.expiresAt, approver: 'pat@example.com', withdrawnBy: 'ops@example.com', withdrawnAs: 'operator' });
    await recordOutcome(byOperator.deps, input({ workflow: 'time-bound', outcome: 'request.withdrawn', error: { Error: 'RequestWithdrawnError' } }));
    expect(byOperator.audit.entries[0]).toMatchObject({ actor: 'operator:ops@example.com', reason: 'An operator withdrew it (no reason given)', detail: { by: 'operator' } });
  });

  it('tells nobody about a rejected event, and a notification that fails for good does not hide the outcome', async () => {
    const rejected = withNotices();
    await expect(recordOutcome(rejected.deps, input({ outcome: 'request.rejected' }))).resolves.not.toHaveProperty('notice');
    expect(rejected.told).toEqual([]);
    const broken = withNotices(undefined, Object.assign(new Error('bad address'), { name: 'ValidationError' }));
    await expect(recordOutcome(broken.deps, input({}))).resolves.toMatchObject({ status: 'failed', notice: 'failed: ValidationError' });
    expect(broken.requests.records.get(EXECUTION_NAME)).toMatchObject({ status: 'failed' });
  });
});

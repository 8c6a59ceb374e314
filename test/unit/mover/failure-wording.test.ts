import { describe, expect, it } from 'vitest';
import { auditDraftSchema } from '#lib/domain/audit/entry';
import { compensationDraft, type CompensationRequest } from '#lib/domain/provision/compensation';
import { recordOutcome } from '#lib/domain/outcomes/record-outcome';
import { recordOutcomeInputSchema } from '#lib/tasks/record-outcome';
import { EXECUTION_ID, EXECUTION_NAME, FakeClock, MemoryAudit, MemoryRequestStatus, StaticApprovals, executionIds } from '../joiner/fakes.ts';

/**
 * The mover reuses the joiner's compensate-provisioning and record-outcome functions; the ASL names
 * the workflow, so their audit entries say "mover" (actor, reason, steps) and not "joiner".
 * Without it (the joiner's ASL) the wording stays the joiner's.
 */

const MOVER_EXECUTION = 'arn:aws:states:us-east-1:000000000000:execution:gatehouse-mover:dlv-7';
const request = (overrides: Partial<CompensationRequest> = {}): CompensationRequest => ({
  requestId: 'dlv-7',
  employeeId: 'E1001',
  executionId: MOVER_EXECUTION,
  entitlements: [],
  results: {},
  errorName: 'TransientError',
  ...overrides,
});
const membership = { action: 'remove-membership', resourceId: 'm-eng', entitlementId: 'group:Engineering', outcome: 'undone' } as const;

describe('compensation.applied wording', () => {
  it('names the mover, its Undo New Access state and Grant New Role Memberships step', () => {
    const draft = compensationDraft(request({ workflow: 'mover' }), membership);

    expect(auditDraftSchema.safeParse(draft).success).toBe(true);
    expect(draft).toEqual({
      kind: 'compensation.applied',
      subject: 'E1001',
      actor: { type: 'system', id: 'mover' },
      entitlementId: 'group:Engineering',
      requestId: 'dlv-7',
      executionId: MOVER_EXECUTION,
      reason: 'mover dlv-7 failed (TransientError): undid remove-membership m-eng',
      idempotencyKey: `${MOVER_EXECUTION}/Undo New Access/remove-membership/m-eng`,
      detail: { step: 'Grant New Role Memberships', action: 'remove-membership', resourceId: 'm-eng' },
    });
    expect(compensationDraft(request({ workflow: 'mover' }), { action: 'terminate-instance', resourceId: 'i-1', outcome: 'already-gone' }).detail).toEqual({
      step: 'Launch Workstation',
      action: 'terminate-instance',
      resourceId: 'i-1',
    });
  });

  it('keeps the joiner wording when no workflow is named', () => {
    const draft = compensationDraft(request(), membership);

    expect(draft).toMatchObject({
      actor: { type: 'system', id: 'compensate-provisioning' },
      reason: 'joiner dlv-7 failed (TransientError): undid remove-membership m-eng',
      idempotencyKey: `${MOVER_EXECUTION}/Undo Provisioning/remove-membership/m-eng`,
      detail: { step: 'Create Identity Center User' },
    });
  });
});

describe('provisioning.failed wording', () => {
  const setup = () => {
    const clock = new FakeClock(new Date('2026-03-05T10:00:00.000Z'));
    const audit = new MemoryAudit(clock);
    const requests = new MemoryRequestStatus();
    requests.records.set(EXECUTION_NAME, { executionId: EXECUTION_ID });
    return { deps: { audit, requests, approvals: new StaticApprovals(), clock }, audit };
  };
  const input = (workflow?: string) =>
    recordOutcomeInputSchema.parse({
      requestId: EXECUTION_NAME,
      employeeId: 'E-1001',
      outcome: 'provisioning.failed',
      error: { Error: 'TransientError', Cause: 'StopInstances failed: RequestLimitExceeded' },
      ...(workflow ? { workflow } : {}),
      ...executionIds,
    });

  it('names the mover as actor and step when the ASL says so', async () => {
    const { deps, audit } = setup();

    await recordOutcome(deps, input('mover'));

    expect(audit.entries).toHaveLength(1);
    expect(audit.entries[0]).toMatchObject({ kind: 'provisioning.failed', actor: 'system:mover', detail: { step: 'Mover', error: 'TransientError', retryable: false } });
  });

  it('stays the joiner without a workflow, and refuses an unknown one', async () => {
    const { deps, audit } = setup();

    await recordOutcome(deps, input());

    expect(audit.entries[0]).toMatchObject({ actor: 'system:joiner', detail: { step: 'Joiner' } });
    expect(() => input('payroll')).toThrow(/workflow/);
  });
});

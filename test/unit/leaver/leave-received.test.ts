import { describe, expect, it } from 'vitest';
import { auditDraftSchema } from '#lib/domain/audit/entry';
import { employeeLeftSchema, type EmployeeLeft } from '#lib/domain/events/employee-events';
import { leaveDeliveryId } from '#lib/domain/schedules/schedules';
import { leaveActor, leaveReceivedDraft } from '#lib/domain/leaver/leave-received';
import { ids, leftEvent } from './factories.ts';

/** The leaver's request.received entry says who asked: the HRIS, the end-date schedule, or an operator. */

const base = leftEvent({ immediate: true });
const operatorLeave: EmployeeLeft = {
  ...base,
  deliveryId: 'operator-k-0001',
  source: 'operator',
  operator: { id: 'ops.lead@example.com', reason: 'laptop stolen, credentials compromised' },
};

describe('leave request.received', () => {
  it('records an operator kill switch with the operator as actor and their reason verbatim', () => {
    const draft = leaveReceivedDraft(operatorLeave, '2026-05-01T12:00:00Z', { ...ids, executionName: 'operator-k-0001' });
    expect(auditDraftSchema.parse(draft)).toEqual({
      kind: 'request.received',
      subject: 'E1',
      actor: { type: 'operator', id: 'ops.lead@example.com' },
      requestId: 'operator-k-0001',
      executionId: ids.executionId,
      reason: 'laptop stolen, credentials compromised',
      idempotencyKey: 'operator-k-0001/request.received',
      detail: { requestType: 'leaver', deliveryId: 'operator-k-0001', effectiveAt: '2026-05-01T12:00:00Z' },
    });
  });

  it('tells the HRIS from the contract end date the joiner scheduled', () => {
    expect(leaveActor(base)).toEqual({ type: 'hris', id: 'generic' });
    const endDate = { ...base, deliveryId: leaveDeliveryId('E1', '2026-05-01T00:00:00Z'), immediate: false };
    expect(leaveActor(endDate)).toEqual({ type: 'system', id: 'end-date-schedule' });
    expect(leaveReceivedDraft(endDate, '2026-05-01T12:00:00Z', ids).reason).toBe('contract of E1 ends 2026-05-01T11:00:00Z');
    expect(leaveReceivedDraft(base, '2026-05-01T12:00:00Z', ids).reason).toBe('leave of E1 immediately, delivered by generic');
  });
});

describe('employee.left with source operator', () => {
  it('requires the operator exactly with source operator', () => {
    expect(employeeLeftSchema.safeParse(operatorLeave).success).toBe(true);
    const noOperator = Object.fromEntries(Object.entries(operatorLeave).filter(([key]) => key !== 'operator'));
    expect(employeeLeftSchema.safeParse(noOperator).error?.issues[0]).toMatchObject({ path: ['operator'] });
    expect(employeeLeftSchema.safeParse({ ...base, operator: operatorLeave.operator }).error?.issues[0]).toMatchObject({ path: ['operator'] });
  });

  it('refuses an operator id with spaces and a reason with control characters', () => {
    expect(employeeLeftSchema.safeParse({ ...operatorLeave, operator: { id: 'a b', reason: 'valid reason' } }).success).toBe(false);
    expect(employeeLeftSchema.safeParse({ ...operatorLeave, operator: { id: 'a', reason: 'bad\nreason' } }).success).toBe(false);
  });
});

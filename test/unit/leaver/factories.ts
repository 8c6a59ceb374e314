import type { AuditStore } from '#lib/domain/audit/ports';
import { auditDraftSchema, type AuditDraft } from '#lib/domain/audit/entry';
import type { EmployeeLeaveCancelled, EmployeeLeft } from '#lib/domain/events/employee-events';

/** Fixtures the leaver's unit tests share: one clock, one execution, E1's leave events, an audit recorder. */

export const NOW = new Date('2026-05-01T12:00:00.000Z');
export const clock = { now: () => NOW };

/** `$$.Execution.Id` / `.Name` of the leaver run for delivery generic-d1. */
export const ids = { executionId: 'arn:aws:states:us-east-1:000000000000:execution:gatehouse-leaver:generic-d1', executionName: 'generic-d1' };

/** employee.left of E1 from the generic HRIS, effective an hour before NOW; `overrides` replace fields. */
export const leftEvent = (overrides: Partial<EmployeeLeft> = {}): EmployeeLeft => ({
  type: 'employee.left',
  deliveryId: 'generic-d1',
  source: 'generic',
  occurredAt: '2026-05-01T11:00:00Z',
  employeeId: 'E1',
  effectiveAt: '2026-05-01T11:00:00Z',
  immediate: false,
  ...overrides,
});

/** employee.leave.cancelled of E1 (delivery generic-c1). */
export const cancelEvent = (occurredAt: string): EmployeeLeaveCancelled => ({
  type: 'employee.leave.cancelled',
  deliveryId: 'generic-c1',
  source: 'generic',
  occurredAt,
  employeeId: 'E1',
});

/** An audit port that keeps what it is handed, each draft checked against the audit schema. */
export function auditRecorder(): { drafts: AuditDraft[]; audit: Pick<AuditStore, 'append'> } {
  const drafts: AuditDraft[] = [];
  const audit: Pick<AuditStore, 'append'> = {
    append: (draft) => {
      drafts.push(auditDraftSchema.parse(draft));
      return Promise.resolve({} as Awaited<ReturnType<AuditStore['append']>>);
    },
  };
  return { drafts, audit };
}

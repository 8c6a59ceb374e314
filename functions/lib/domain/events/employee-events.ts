import { z } from 'zod';
import { hrisText } from '../shared/text.ts';
import { employeeAttributesSchema } from '#lib/domain/events/attributes';

/**
 * The one normalised shape every HRIS adapter produces. Workflows, policy and audit
 * only ever see these events, never a vendor payload.
 */
export const hrisSourceSchema = z.enum(['generic', 'bamboohr', 'hibob', 'personio']);
export type HrisSource = z.infer<typeof hrisSourceSchema>;

const isoDate = z.iso.date();
const isoDateTime = z.iso.datetime({ offset: true });
/** HRIS ids are opaque strings; keep them short and free of separators we use in keys. */
export const employeeIdSchema = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'employeeId must be 1-64 of A-Z a-z 0-9 . _ -');

export const employeeSchema = z.object({
  employeeId: employeeIdSchema,
  email: z.email().max(254),
  firstName: hrisText(100).min(1),
  lastName: hrisText(100).min(1),
  /** A role id from the role catalogue: sent by the HRIS, or chosen by the catalogue's assignment rules at ingest. */
  role: z.string().regex(/^[a-z0-9-]{1,64}$/, 'role must be a catalogue role id (a-z 0-9 -)'),
  department: hrisText(100).optional(),
  managerId: employeeIdSchema.optional(),
  managerEmail: z.email().max(254).optional(),
  employmentType: z.enum(['employee', 'contractor']),
  startDate: isoDate,
  /** Contract end date (contractors, fixed-term): deprovisioning is scheduled for it. */
  endDate: isoDate.optional(),
  /** Normalised HRIS attributes assignment rules read (jobTitle, location, costCenter, custom.<name>; domain/events/attributes.ts). */
  attributes: employeeAttributesSchema.optional(),
  /** How the role was chosen, set at ingest (never by the HRIS): recorded on the request and its audit entry. */
  assignment: z
    .strictObject({
      /** `unassigned`: no role from the HRIS and no rule matched; `outcome` says what the catalogue does (role is then 'no-role'). */
      source: z.enum(['hris', 'rule', 'unassigned']),
      ruleId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/).optional(),
      outcome: z.enum(['birthright-only', 'refused']).optional(),
      catalogueVersion: z.string().regex(/^cat-[0-9a-f]{16}$/),
    })
    .optional(),
});
export type Employee = z.infer<typeof employeeSchema>;

/** An employee as an HRIS adapter reads it: the role is optional (the catalogue's rules may pick it), no assignment yet. */
export const hrisEmployeeSchema = employeeSchema.omit({ assignment: true }).extend({ role: employeeSchema.shape.role.optional() });
export type HrisEmployee = z.infer<typeof hrisEmployeeSchema>;

const envelope = {
  /** The HRIS delivery id: the idempotency key (Step Functions execution name). */
  deliveryId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'deliveryId must be 1-64 of A-Z a-z 0-9 _ -'),
  source: hrisSourceSchema,
  occurredAt: isoDateTime,
};

export const employeeHiredSchema = z.object({
  type: z.literal('employee.hired'),
  ...envelope,
  employee: employeeSchema,
});

export const employeeChangedSchema = z.object({
  type: z.literal('employee.changed'),
  ...envelope,
  employee: employeeSchema,
  /** The role before the change, when the HRIS tells us; otherwise the grants table does. */
  previousRole: employeeSchema.shape.role.optional(),
});

/** Who can end someone's access: their HRIS, or an operator's kill switch (docs/leaver.md). */
export const leaveSourceSchema = z.enum([...hrisSourceSchema.options, 'operator']);

/** The operator who pulled the kill switch and why; the reason is recorded verbatim in the audit. */
export const leaveOperatorSchema = z.strictObject({
  id: z.string().regex(/^[\x21-\x7e]{1,254}$/, 'operator.id must be 1-254 printable characters, no spaces'),
  reason: z.string().regex(/^[^\p{Cc}]{5,500}$/u, 'operator.reason must be 5-500 characters, no control characters'),
});

export const employeeLeftSchema = z
  .object({
    type: z.literal('employee.left'),
    ...envelope,
    source: leaveSourceSchema,
    employeeId: employeeIdSchema,
    /** When access must end. Now or in the past means revoke at once. */
    effectiveAt: isoDateTime,
    /** HRIS asked for immediate revocation (e.g. HiBob `employee.access.revoked.immediately`). */
    immediate: z.boolean(),
    /** Source `operator` only (and always there). */
    operator: leaveOperatorSchema.optional(),
  })
  .refine((event) => (event.source === 'operator') === (event.operator !== undefined), {
    path: ['operator'],
    message: 'operator is required with source operator, and only then',
  });

/**
 * The termination was rescinded: a scheduled (future-dated) leave is deleted and the contract
 * end date, if any, scheduled again. A leave that already ran is not undone (re-hire instead).
 */
export const employeeLeaveCancelledSchema = z.object({
  type: z.literal('employee.leave.cancelled'),
  ...envelope,
  employeeId: employeeIdSchema,
});

export const employeeEventSchema = z.discriminatedUnion('type', [
  employeeHiredSchema,
  employeeChangedSchema,
  employeeLeftSchema,
  employeeLeaveCancelledSchema,
]);
export type EmployeeEvent = z.infer<typeof employeeEventSchema>;
export type EmployeeHired = z.infer<typeof employeeHiredSchema>;
export type EmployeeChanged = z.infer<typeof employeeChangedSchema>;
export type EmployeeLeft = z.infer<typeof employeeLeftSchema>;
export type EmployeeLeaveCancelled = z.infer<typeof employeeLeaveCancelledSchema>;

/** EventBridge `source` and `detail-type` used on the gatehouse bus. */
export const EVENT_SOURCE = 'gatehouse.hris';

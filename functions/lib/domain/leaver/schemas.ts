import { z } from 'zod';
import { employeeIdSchema, employeeLeaveCancelledSchema, employeeLeftSchema } from '../events/employee-events.ts';
import { executionIds } from '../shared/ids.ts';

/**
 * What the leaver's Task states hand their functions (statemachines/leaver.asl.json). Every
 * task carries the employee id and the execution ids; what it acts on it finds again itself
 * (tags, user name, grants table), so a retry or a second run sees what is really left.
 */

export const leaveTaskBase = {
  employeeId: employeeIdSchema,
  ...executionIds,
};

export const prepareLeaveInputSchema = z.object({
  event: employeeLeftSchema,
  ...executionIds,
});
export type PrepareLeaveInput = z.infer<typeof prepareLeaveInputSchema>;

/** One active grant as the leaver sees it. */
export const leaveGrantSchema = z.object({
  grantKey: z.string().min(1),
  entitlementId: z.string().min(1),
  source: z.string().min(1),
  membershipId: z.string().optional(),
  instanceId: z.string().optional(),
  volumeId: z.string().optional(),
});
export type LeaveGrant = z.infer<typeof leaveGrantSchema>;

export const preparedLeaveSchema = z.object({
  employeeId: employeeIdSchema,
  /** The Identity Store user name (work e-mail), when Gatehouse knows the person. */
  userName: z.string().nullable(),
  /** When access ends: the event's effectiveAt, or now when it is past or the leave is immediate. */
  revokeAt: z.iso.datetime(),
  deferred: z.boolean(),
  grants: z.array(leaveGrantSchema),
});
export type PreparedLeave = z.infer<typeof preparedLeaveSchema>;

export const identityTaskSchema = z.object({
  ...leaveTaskBase,
  action: z.enum(['remove-memberships', 'delete-user']),
  userName: z.string().min(1).nullable().optional(),
});
export type IdentityTask = z.infer<typeof identityTaskSchema>;

export const workstationTaskSchema = z.object({
  ...leaveTaskBase,
  action: z.enum(['stop', 'snapshot', 'terminate', 'delete-volumes']),
  /** Only resources tagged with one of these entitlement ids (the mover's dropped workstation); absent means all (leaver). */
  entitlementIds: z.array(z.string().min(1)).optional(),
});
export type WorkstationTask = z.infer<typeof workstationTaskSchema>;

export const cancelPendingWorkInputSchema = z.object({
  ...leaveTaskBase,
  deliveryId: z.string().min(1).max(64),
  /** The leave event's occurredAt: claimed as the person's statusOccurredAt before anything is revoked. */
  occurredAt: z.iso.datetime({ offset: true }).optional(),
});
export type CancelPendingWorkInput = z.infer<typeof cancelPendingWorkInputSchema>;

export const closeGrantsInputSchema = z.object({ ...leaveTaskBase });
export type CloseGrantsInput = z.infer<typeof closeGrantsInputSchema>;

export const recordLeaveInputSchema = z.object({
  ...leaveTaskBase,
  action: z.enum(['record', 'mark-left']),
  executionId: executionIds.executionId,
  closed: z.array(leaveGrantSchema).default([]),
  results: z.record(z.string(), z.unknown()).default({}),
  /** Mark Employee Left: the leave event's occurredAt, kept as the person's statusOccurredAt. */
  occurredAt: z.iso.datetime({ offset: true }).optional(),
});
export type RecordLeaveInput = z.infer<typeof recordLeaveInputSchema>;

/** Decide When Access Ends (action decide) and Cancel Scheduled Leave (action cancel): one function, schedule-leave. */
export const scheduleLeaveInputSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('decide'), event: employeeLeftSchema, ...executionIds }),
  z.object({ action: z.literal('cancel'), event: employeeLeaveCancelledSchema, ...executionIds }),
]);
export type ScheduleLeaveInput = z.infer<typeof scheduleLeaveInputSchema>;

import { z } from 'zod';
import { employeeSchema } from '../events/employee-events.ts';
import { executionIds, requestIdSchema } from '../shared/ids.ts';
import type { Notification } from './kinds.ts';

/**
 * The Notify Task of the joiner and the mover: what the workflow state holds, turned into the
 * `access-ready` (joiner) or `access-moved` (mover, with `move`: the revocation plan) notification.
 * Names the person and lists what was granted and removed (ids and descriptions, the
 * workstation's instance id); no links, tokens or secrets.
 */
export const notifyInputSchema = z.object({
  requestId: requestIdSchema,
  employeeId: employeeSchema.shape.employeeId,
  employee: employeeSchema,
  entitlements: z.array(z.looseObject({ id: z.string().min(1), description: z.string().optional() })),
  /** The mover's revocation plan ($.revocation): the old role and what it loses. */
  move: z
    .looseObject({
      fromRole: z.string().min(1),
      toRole: z.string().min(1),
      revoke: z.array(z.string().min(1)),
      groups: z.array(z.looseObject({ entitlementId: z.string(), displayName: z.string().optional() })).default([]),
      workstations: z.array(z.string().min(1)).default([]),
      dropsWorkstation: z.boolean().default(false),
    })
    .optional(),
  results: z
    .looseObject({
      workstation: z.looseObject({ instanceId: z.string() }).optional(),
      schedule: z.looseObject({ at: z.string() }).optional(),
    })
    .default({}),
  executionId: executionIds.executionId.optional(),
  executionName: executionIds.executionName.optional(),
});
export type NotifyInput = z.infer<typeof notifyInputSchema>;

const listedOf = (entitlements: NotifyInput['entitlements']) =>
  entitlements.map((e) => ({ id: e.id, ...(e.description ? { description: e.description } : {}) }));

export function accessNotification(input: NotifyInput): Notification {
  const { employee, results, move } = input;
  const person = {
    employeeId: employee.employeeId,
    displayName: `${employee.firstName} ${employee.lastName}`,
    email: employee.email,
    ...(employee.managerEmail ? { managerEmail: employee.managerEmail } : {}),
  };
  if (move) {
    const words = new Map(move.groups.map((g) => [g.entitlementId, g.displayName]));
    return {
      kind: 'access-moved',
      person,
      requestId: input.requestId,
      fromRole: move.fromRole,
      toRole: move.toRole,
      granted: listedOf(input.entitlements),
      removed: move.revoke.filter((id) => !move.workstations.includes(id)).map((id) => ({ id, ...(words.get(id) ? { description: words.get(id) } : {}) })),
      ...(move.dropsWorkstation && move.workstations.length > 0 ? { retiredWorkstation: move.workstations.join(', ') } : {}),
    };
  }
  return {
    kind: 'access-ready',
    person,
    requestId: input.requestId,
    role: employee.role,
    startDate: employee.startDate,
    granted: listedOf(input.entitlements),
    ...(results.workstation ? { workstation: results.workstation.instanceId } : {}),
    ...(results.schedule ? { accessEnds: results.schedule.at } : {}),
  };
}

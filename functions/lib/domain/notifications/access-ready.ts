import type { Notification } from './kinds.ts';
import type { NotifyInput } from '../../tasks/notify.ts';

/**
 * The Notify Task of the joiner and the mover (contract: functions/lib/tasks/notify.ts): what the
 * workflow state holds, turned into the `access-ready` (joiner) or `access-moved` (mover, with
 * `move`: the revocation plan) notification.
 * Names the person and lists what was granted and removed (ids and descriptions, the
 * workstation's instance id); no links, tokens or secrets.
 */

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

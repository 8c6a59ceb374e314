import type { AuditStore } from '../../adapters/dynamodb/audit.ts';
import type { IdentityStorePort } from '../../adapters/aws/identitystore.ts';
import type { KnownEmployee } from '../../adapters/dynamodb/employees/move.ts';
import type { EmployeeChanged } from '../events/employee-events.ts';
import type { RequestIds } from '../requests/request-audit.ts';

/**
 * A mover whose work e-mail changed keeps their Identity Store user (issue #14): its user name
 * and e-mail become the new address, before any step looks the user up by the new one (Grant
 * New Role Memberships would otherwise create a second user). The user is found by the id the
 * joiner recorded on the employee item, else by the old e-mail (only when it is this
 * employee's: identity-link.ts). Audits identity.updated once per execution; a retry sets the
 * same values again and writes no second entry.
 */

export type EmailUpdate = 'unchanged' | 'updated' | 'no-user';

export interface UpdateUserEmailDeps {
  identity: Pick<IdentityStorePort, 'findUserId' | 'updateUserEmail'>;
  audit: Pick<AuditStore, 'append'>;
}

export async function updateUserEmail(deps: UpdateUserEmailDeps, known: KnownEmployee, event: EmployeeChanged, ids: RequestIds): Promise<EmailUpdate> {
  const { employee } = event;
  // An item written before e-mails were read here, or the same address: nothing to follow.
  if (known.email === undefined || known.email === employee.email) return 'unchanged';
  const userId = await findAndUpdate(deps.identity, known.email, known.identityUserId, employee);
  if (userId === undefined) return 'no-user';
  await deps.audit.append({
    kind: 'identity.updated',
    subject: employee.employeeId,
    actor: { type: 'hris', id: event.source },
    requestId: ids.requestId,
    executionId: ids.executionId,
    reason: `work e-mail of ${employee.employeeId} changed (delivered by ${event.source}): the Identity Store user takes the new user name and e-mail`,
    idempotencyKey: `${ids.executionName}/identity.updated`,
    detail: { deliveryId: event.deliveryId, userId, attributes: ['userName', 'emails'] },
  });
  return 'updated';
}

/** The user by the recorded id, else by the old e-mail, updated; undefined when neither exists. */
async function findAndUpdate(
  identity: UpdateUserEmailDeps['identity'],
  oldEmail: string,
  recordedId: string | undefined,
  employee: EmployeeChanged['employee'],
): Promise<string | undefined> {
  const update = async (userId: string) => (await identity.updateUserEmail(userId, employee.email, employee.employeeId)) === 'updated';
  if (recordedId !== undefined && (await update(recordedId))) return recordedId;
  const byEmail = await identity.findUserId(oldEmail, employee.employeeId);
  if (byEmail !== undefined && byEmail !== recordedId && (await update(byEmail))) return byEmail;
  return undefined;
}

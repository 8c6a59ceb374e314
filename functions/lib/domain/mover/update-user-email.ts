import type { AuditStore } from '../audit/ports.ts';
import type { IdentityStorePort } from '../provision/ports.ts';
import type { KnownEmployee } from './ports.ts';
import type { EmployeeChanged } from '../events/employee-events.ts';
import type { RequestIds } from '../requests/request-audit.ts';

/**
 * A mover keeps their Identity Store user when the HRIS changes who they are (issue #14):
 *
 * - a new work e-mail becomes the user's user name and e-mail, before any step looks the user up
 *   by the new one (Grant New Role Memberships would otherwise create a second user). The user is
 *   found by the id the joiner recorded on the employee item, else by the old e-mail (only when it
 *   is this employee's: identity-link.ts);
 * - a new first or last name becomes the user's display name and name (UpdateUser), when they
 *   differ from the user's (DescribeUser), on the same user.
 *
 * One identity.updated entry per execution names the attributes that changed (never their values);
 * a retry sets the same values again and writes no second entry.
 */

export type IdentityUpdate = 'unchanged' | 'updated' | 'no-user';

export interface UpdateUserEmailDeps {
  identity: Pick<IdentityStorePort, 'findUserId' | 'updateUserEmail' | 'updateUserNames'>;
  audit: Pick<AuditStore, 'append'>;
}

type Attribute = 'userName' | 'emails' | 'displayName' | 'name';

export async function updateUserEmail(deps: UpdateUserEmailDeps, known: KnownEmployee, event: EmployeeChanged, ids: RequestIds): Promise<IdentityUpdate> {
  const { employee } = event;
  const attributes: Attribute[] = [];
  // An item written before e-mails were read here, or the same address: no e-mail to follow.
  const emailChanged = known.email !== undefined && known.email !== employee.email;
  let userId = emailChanged ? await findAndUpdate(deps.identity, known.email ?? '', known.identityUserId, employee) : undefined;
  if (userId !== undefined) attributes.push('userName', 'emails');
  userId ??= known.identityUserId ?? (await deps.identity.findUserId(employee.email, employee.employeeId));
  if (userId === undefined) return 'no-user';
  if ((await deps.identity.updateUserNames(userId, employee.firstName, employee.lastName)) === 'updated') attributes.push('displayName', 'name');
  if (attributes.length === 0) return emailChanged ? 'no-user' : 'unchanged';
  await deps.audit.append({
    kind: 'identity.updated',
    subject: employee.employeeId,
    actor: { type: 'hris', id: event.source },
    requestId: ids.requestId,
    executionId: ids.executionId,
    reason: `the HRIS (${event.source}) changed ${employee.employeeId}'s ${attributes.includes('emails') ? 'work e-mail' : 'name'}${attributes.length > 2 ? ' and name' : ''}: the Identity Store user follows`,
    idempotencyKey: `${ids.executionName}/identity.updated`,
    detail: { deliveryId: event.deliveryId, userId, attributes },
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

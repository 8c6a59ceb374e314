import type { EnsuredUser, IdentityStorePort, UserRef } from '../../adapters/aws/identitystore.ts';
import { groupsOf, type IdentityResult, type ProvisionEntitlement } from './schemas.ts';
import type { UserOwnershipPort } from '../../adapters/dynamodb/employees/ownership.ts';

/**
 * Create Identity Center User: the groups first (a missing group fails before anything is
 * created, so there is nothing to undo), then get-or-create the user, then each membership.
 * Repeating it returns the same ids and creates nothing.
 *
 * `userCreated` is true when this request created the user, across retries: before CreateUser
 * the request records its intent on the employees item (an exclusive lease), after it the
 * creator (user-ownership.ts). A retry after a crash or timeout between CreateUser and the end
 * of this function finds the user and its own intent, and so does an SDK retry of a CreateUser
 * whose response was lost (ConflictException): both still answer true, and compensation deletes
 * the user. A user that existed before (a mover's, a time-bound grant's) answers false and is
 * kept. A request that finds another request's live intent gets a TransientError; its retry
 * then finds that request's user and answers false.
 */

export interface ProvisionIdentityDeps {
  identity: Pick<IdentityStorePort, 'findGroups' | 'ensureUser' | 'ensureMemberships'>;
  ownership: UserOwnershipPort;
}

export interface ProvisionIdentityRequest {
  requestId: string;
  employeeId: string;
  employee: UserRef;
  entitlements: readonly ProvisionEntitlement[];
}

export async function provisionIdentity(deps: ProvisionIdentityDeps, request: ProvisionIdentityRequest): Promise<IdentityResult> {
  const { identity, ownership } = deps;
  const { requestId, employeeId } = request;
  const groups = await identity.findGroups(groupsOf(request.entitlements));
  const user = await identity.ensureUser({ ...request.employee, employeeId }, () => ownership.recordIntent(employeeId, requestId));
  const userCreated = await createdByThisRequest(deps, request, user);
  const memberships = await identity.ensureMemberships(user.userId, groups);
  return { userId: user.userId, userCreated, memberships };
}

async function createdByThisRequest({ ownership }: ProvisionIdentityDeps, request: ProvisionIdentityRequest, user: EnsuredUser): Promise<boolean> {
  const { requestId, employeeId } = request;
  // `concurrent` with our own intent: the intent is exclusive, so the CreateUser that won was ours (a lost response).
  if (user.origin !== 'created' && (await ownership.creatorOf(employeeId, user.userId)) !== requestId) return false;
  // Created now, or by an earlier attempt of this request: (re)confirm, which also drops the intent.
  await ownership.recordCreator(employeeId, requestId, user.userId);
  return true;
}

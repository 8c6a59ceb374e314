import type { AuditDraft } from '../audit/entry.ts';
import { DomainError, TransientError } from '../shared/errors.ts';
import { isTransientAwsError } from '../shared/transient.ts';
import { CompensationIncompleteError } from './errors.ts';
import type { IdentityStorePort, UndoOutcome } from '../../adapters/aws/identitystore.ts';
import { groupsOf, workstationsOf, type JoinerResults, type ProvisionEntitlement } from './schemas.ts';
import type { UserOwnershipPort } from '../../adapters/dynamodb/employees/ownership.ts';
import type { WorkstationPort } from '../../adapters/aws/ec2.ts';

/**
 * Undo Provisioning (joiner) / Undo New Access (mover): removes what one request created,
 * newest first (data volume, instance, memberships, user). Each undo is idempotent (gone already = done), so the whole
 * use case can run again after a crash or a retry. What the failed steps never reported is
 * found by the request-id tag (EC2) and by the employee's user name (Identity Store), and only
 * what this request's entitlements cover is touched. A user is deleted only when this
 * request created it: `results.identity.userCreated` says so (true across retries of Create
 * Identity Center User); without results, the employees item's record of the creator does
 * (user-ownership.ts), so a user created by an attempt that then failed for good goes too.
 */

export type AuditedUndo = 'delete-volume' | 'terminate-instance' | 'remove-membership' | 'delete-user';
/** `keep-user`: the user existed before this request (or may have), so it stays. */
export type UndoAction = AuditedUndo | 'keep-user';

export interface UndoRecord {
  action: UndoAction;
  resourceId: string;
  entitlementId?: string;
  outcome: UndoOutcome | 'kept';
}

export interface CompensationSummary {
  actions: UndoRecord[];
}

export interface CompensationRequest {
  requestId: string;
  employeeId: string;
  executionId: string;
  /** The employee's Identity Store user name (email), to find the user when results.identity is missing. */
  userName?: string;
  entitlements: readonly ProvisionEntitlement[];
  results: JoinerResults;
  /** Name of the error that sent the workflow here (ASL `$.error.Error`). */
  errorName?: string;
  /** The workflow undoing its own work (ASL passes it; default `joiner`): names the actor, state and steps in the audit. */
  workflow?: CompensatedWorkflow;
}

export interface CompensationDeps {
  identity: Pick<IdentityStorePort, 'findUserId' | 'findMembership' | 'removeMembership' | 'deleteUser'>;
  workstations: Pick<WorkstationPort, 'findRequestResources' | 'terminateWorkstation' | 'detachVolume' | 'deleteVolume'>;
  /** Who created the user, when results.identity is missing. */
  ownership: Pick<UserOwnershipPort, 'creatorOf'>;
  /** Writes the audit entry for one undo; must be idempotent (the same record may come twice). */
  record(record: UndoRecord & { action: AuditedUndo }): Promise<void>;
  sleep(ms: number): Promise<void>;
  now(): number;
  /** How long to wait for a data volume to detach before handing back to the ASL Retry. */
  detachTimeoutMs?: number;
  pollMs?: number;
}

export const COMPENSATED_WORKFLOWS = ['joiner', 'mover'] as const;
export type CompensatedWorkflow = (typeof COMPENSATED_WORKFLOWS)[number];

/** Per workflow: who undoes (audit actor), the undo state's name, and the state that created each kind of resource. */
const WORDING: Record<CompensatedWorkflow, { actor: string; state: string; stepOf: Record<AuditedUndo, string> }> = {
  joiner: {
    actor: 'compensate-provisioning',
    state: 'Undo Provisioning',
    stepOf: {
      'delete-volume': 'Attach Storage',
      'terminate-instance': 'Launch Workstation',
      'remove-membership': 'Create Identity Center User',
      'delete-user': 'Create Identity Center User',
    },
  },
  mover: {
    actor: 'mover',
    state: 'Undo New Access',
    stepOf: {
      'delete-volume': 'Attach Storage',
      'terminate-instance': 'Launch Workstation',
      'remove-membership': 'Grant New Role Memberships',
      'delete-user': 'Grant New Role Memberships',
    },
  },
};

const sanitize = (text: string): string => text.replace(/\p{Cc}/gu, ' ').slice(0, 128);

/** The compensation.applied audit entry for one undo; keyed so a rerun writes it once. */
export function compensationDraft(request: CompensationRequest, record: UndoRecord & { action: AuditedUndo }): AuditDraft {
  const verb = record.outcome === 'undone' ? 'undid' : 'found already undone';
  const workflow = request.workflow ?? 'joiner';
  const wording = WORDING[workflow];
  return {
    kind: 'compensation.applied',
    subject: request.employeeId,
    actor: { type: 'system', id: wording.actor },
    ...(record.entitlementId ? { entitlementId: record.entitlementId } : {}),
    requestId: request.requestId,
    executionId: request.executionId,
    reason: `${workflow} ${request.requestId} failed (${sanitize(request.errorName ?? 'unknown error')}): ${verb} ${record.action} ${record.resourceId}`,
    idempotencyKey: `${request.executionId}/${wording.state}/${record.action}/${record.resourceId}`,
    detail: { step: wording.stepOf[record.action], action: record.action, resourceId: record.resourceId },
  };
}

const isRetryable = (error: unknown): boolean => (error instanceof DomainError ? error.retryable : isTransientAwsError(error));

export async function compensateJoiner(request: CompensationRequest, deps: CompensationDeps): Promise<CompensationSummary> {
  const { identity, workstations } = deps;
  const { results } = request;
  const detachTimeoutMs = deps.detachTimeoutMs ?? 20_000;
  const pollMs = deps.pollMs ?? 1_000;
  const actions: UndoRecord[] = [];
  const failures: unknown[] = [];

  /** Runs one undo and records it; a failure is kept for the end so the other undos still run. */
  async function undo(run: () => Promise<UndoRecord | undefined>): Promise<void> {
    try {
      const record = await run();
      if (!record) return;
      if (record.action !== 'keep-user') await deps.record({ ...record, action: record.action });
      actions.push(record);
    } catch (error) {
      failures.push(error);
    }
  }

  async function removeVolume(volumeId: string): Promise<UndoOutcome> {
    let outcome = await workstations.deleteVolume(volumeId);
    if (outcome !== 'in-use') return outcome;
    await workstations.detachVolume(volumeId);
    const deadline = deps.now() + detachTimeoutMs;
    while (outcome === 'in-use') {
      if (deps.now() >= deadline) throw new TransientError(`data volume ${volumeId} still attached ${detachTimeoutMs} ms after detaching`);
      await deps.sleep(pollMs);
      outcome = await workstations.deleteVolume(volumeId);
    }
    return outcome;
  }

  // ---- EC2: what the results name, plus anything tagged with this request for its workstation entitlements
  const covered = new Set(workstationsOf(request.entitlements).map((entitlement) => entitlement.id));
  const volumes = new Map<string, string | undefined>();
  const instances = new Map<string, string | undefined>();
  if (results.storage) volumes.set(results.storage.volumeId, results.storage.entitlementId);
  if (results.workstation) instances.set(results.workstation.instanceId, results.workstation.entitlementId);
  if (covered.size > 0) {
    await undo(async () => {
      const tagged = await workstations.findRequestResources(request.requestId);
      for (const volume of tagged.volumes) if (volume.entitlementId && covered.has(volume.entitlementId)) volumes.set(volume.id, volume.entitlementId);
      for (const instance of tagged.instances) {
        if (instance.entitlementId && covered.has(instance.entitlementId)) instances.set(instance.id, instance.entitlementId);
      }
      return undefined;
    });
  }
  for (const [volumeId, entitlementId] of volumes) {
    await undo(async () => ({ action: 'delete-volume', resourceId: volumeId, entitlementId, outcome: await removeVolume(volumeId) }));
  }
  for (const [instanceId, entitlementId] of instances) {
    await undo(async () => ({
      action: 'terminate-instance',
      resourceId: instanceId,
      entitlementId,
      outcome: await workstations.terminateWorkstation(instanceId),
    }));
  }

  // ---- Identity Store
  if (results.identity) {
    const { userId, userCreated, memberships } = results.identity;
    for (const membership of memberships) {
      await undo(async () => ({
        action: 'remove-membership',
        resourceId: membership.membershipId,
        entitlementId: membership.entitlementId,
        outcome: await identity.removeMembership(membership.membershipId),
      }));
    }
    await undo(async () =>
      userCreated
        ? { action: 'delete-user', resourceId: userId, outcome: await identity.deleteUser(userId) }
        : { action: 'keep-user', resourceId: userId, outcome: 'kept' },
    );
  } else if (request.userName) {
    const { userName } = request;
    let userId: string | undefined;
    let creator: string | undefined;
    await undo(async () => {
      userId = await identity.findUserId(userName, request.employeeId);
      if (userId) creator = await deps.ownership.creatorOf(request.employeeId, userId);
      return undefined;
    });
    const found = userId;
    if (found) {
      for (const group of groupsOf(request.entitlements)) {
        await undo(async () => {
          const membership = await identity.findMembership(found, group);
          if (!membership) return undefined;
          const outcome = await identity.removeMembership(membership.membershipId);
          return { action: 'remove-membership', resourceId: membership.membershipId, entitlementId: group.id, outcome };
        });
      }
      await undo(async () =>
        creator === request.requestId
          ? { action: 'delete-user', resourceId: found, outcome: await identity.deleteUser(found) }
          : { action: 'keep-user', resourceId: found, outcome: 'kept' },
      );
    }
  }

  if (failures.length > 0) {
    const cause = failures.length === 1 ? failures[0] : new AggregateError(failures, `${failures.length} undo steps failed`);
    const message = `compensation incomplete: ${failures.length} undo step(s) failed`;
    if (failures.every(isRetryable)) throw new TransientError(message, { cause });
    throw new CompensationIncompleteError(message, { cause });
  }
  return { actions };
}

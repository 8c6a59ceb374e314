import { SnapshotPendingError, VolumePendingError, WorkstationPendingError } from '../provision/errors.ts';
import type { IdentityStorePort, UndoOutcome } from '../provision/ports.ts';
import type { RetainedSnapshot, WorkstationPort } from '../provision/ports.ts';
import type { RevokeIdentityInput } from '../../tasks/revoke-identity.ts';
import type { RetireWorkstationInput } from '../../tasks/retire-workstation.ts';

/**
 * The leaver's revocations. Each finds what is still there (the user by user name, EC2
 * resources by the employee tag) and removes it; what is already gone counts as done, so a
 * retry or a second leaver changes nothing. Polls (stopping, snapshotting, volumes still
 * attached to a terminating instance) throw the *PendingError the state machine retries on.
 *
 * Identity Store has no "disabled" user state: deleting the user is how access ends. Sessions
 * already open in the AWS access portal or the console last until the permission set's session
 * duration ends (1 hour by default, at most 12); keep that duration short for sensitive roles.
 */

export interface MembershipLister {
  /** Membership ids of every group the user belongs to. */
  membershipsOf(userId: string): Promise<string[]>;
}

export interface IdentityRevocation {
  userId?: string;
  removed: string[];
  outcome: UndoOutcome | 'no-user';
}

export async function revokeIdentity(
  ports: { identity: Pick<IdentityStorePort, 'findUserId' | 'removeMembership' | 'deleteUser'>; memberships: MembershipLister },
  task: RevokeIdentityInput,
): Promise<IdentityRevocation> {
  // Only this person's user: one linked to another employee who shares the e-mail is left alone (issue #11).
  const userId = task.userName ? await ports.identity.findUserId(task.userName, task.employeeId) : undefined;
  if (!userId) return { removed: [], outcome: 'no-user' };
  if (task.action === 'delete-user') return { userId, removed: [userId], outcome: await ports.identity.deleteUser(userId) };
  const removed: string[] = [];
  for (const membershipId of await ports.memberships.membershipsOf(userId)) {
    if ((await ports.identity.removeMembership(membershipId)) === 'undone') removed.push(membershipId);
  }
  return { userId, removed, outcome: removed.length > 0 ? 'undone' : 'already-gone' };
}

export interface WorkstationRevocation {
  action: RetireWorkstationInput['action'];
  /** Ids this call acted on (stopped, terminated, deleted) or kept (snapshots). */
  ids: string[];
  snapshots?: RetainedSnapshot[];
}

type Workstations = Pick<WorkstationPort, 'findEmployeeResources' | 'stopWorkstation' | 'ensureRetainedSnapshot' | 'terminateWorkstation' | 'deleteVolume' | 'detachVolume'>;

export async function revokeWorkstation(workstations: Workstations, task: RetireWorkstationInput): Promise<WorkstationRevocation> {
  const found = await workstations.findEmployeeResources(task.employeeId);
  const wanted = (resource: { entitlementId?: string }): boolean =>
    task.entitlementIds === undefined || (resource.entitlementId !== undefined && task.entitlementIds.includes(resource.entitlementId));
  const instances = found.instances.filter(wanted);
  const volumes = found.volumes.filter(wanted);
  switch (task.action) {
    case 'stop': {
      const live = instances.filter((instance) => instance.state !== 'shutting-down');
      const outcomes = await Promise.all(live.map((instance) => workstations.stopWorkstation(instance.id)));
      const moving = live.filter((_, i) => outcomes[i] === 'stopping');
      if (moving.length > 0) throw new WorkstationPendingError(`waiting for ${moving.map((i) => i.id).join(', ')} to stop`);
      return { action: task.action, ids: live.map((instance) => instance.id) };
    }
    case 'snapshot': {
      const snapshots = await Promise.all(volumes.map((volume) => workstations.ensureRetainedSnapshot(volume.id, task.employeeId)));
      const pending = snapshots.filter((snapshot) => snapshot.state !== 'completed');
      if (pending.length > 0) throw new SnapshotPendingError(`waiting for snapshots ${pending.map((s) => s.snapshotId).join(', ')}`);
      return { action: task.action, ids: snapshots.map((snapshot) => snapshot.snapshotId), snapshots };
    }
    case 'terminate': {
      const ids: string[] = [];
      for (const instance of instances) if ((await workstations.terminateWorkstation(instance.id)) === 'undone') ids.push(instance.id);
      return { action: task.action, ids };
    }
    case 'delete-volumes': {
      const ids: string[] = [];
      const inUse: string[] = [];
      for (const volume of volumes) {
        const outcome = await workstations.deleteVolume(volume.id);
        if (outcome === 'undone') ids.push(volume.id);
        if (outcome === 'in-use') {
          // Attached to an instance that is not terminating: detach it, then poll.
          if (volume.attachedTo && !instances.some((i) => i.id === volume.attachedTo && i.state === 'shutting-down')) await workstations.detachVolume(volume.id);
          inUse.push(volume.id);
        }
      }
      if (inUse.length > 0) throw new VolumePendingError(`volumes ${inUse.join(', ')} still attached; deleting once detached`);
      return { action: task.action, ids };
    }
  }
}

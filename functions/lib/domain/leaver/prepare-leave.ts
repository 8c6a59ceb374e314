import type { AuditStore } from '../audit/ports.ts';
import type { Clock } from '../shared/clock.ts';
import { isoSeconds } from '../shared/dates.ts';
import { leaveReceivedDraft } from './leave-received.ts';
import type { LeaveGrant } from './schemas.ts';
import type { PreparedLeave, PrepareLeaveInput } from '../../tasks/prepare-leave.ts';

/**
 * Prepare Leave: who leaves, what they hold now, and when access must end. A leave effective
 * now or in the past, or flagged immediate, revokes at once; a later one waits until then
 * (the state machine's Wait Until Effective). Audits request.received: who asked (HRIS, end-date
 * schedule or operator) and why (leave-received.ts).
 */

export interface LeaverDirectory {
  /** The person's Identity Store user name (their work e-mail), if Gatehouse knows them. */
  userNameOf(employeeId: string): Promise<string | undefined>;
  /** The person's active grants. */
  activeGrants(employeeId: string): Promise<LeaveGrant[]>;
}

export interface PrepareLeaveDeps {
  directory: LeaverDirectory;
  audit: Pick<AuditStore, 'append'>;
  clock: Clock;
}

export function revokeTime(effectiveAt: string, immediate: boolean, now: Date): { revokeAt: string; deferred: boolean } {
  const effective = new Date(effectiveAt);
  const deferred = !immediate && effective.getTime() > now.getTime();
  return { revokeAt: isoSeconds(deferred ? effective : now), deferred };
}

export async function prepareLeave(deps: PrepareLeaveDeps, input: PrepareLeaveInput): Promise<PreparedLeave> {
  const { event } = input;
  const [userName, grants] = await Promise.all([deps.directory.userNameOf(event.employeeId), deps.directory.activeGrants(event.employeeId)]);
  const timing = revokeTime(event.effectiveAt, event.immediate, deps.clock.now());
  await deps.audit.append(leaveReceivedDraft(event, timing.revokeAt, input));
  return { employeeId: event.employeeId, userName: userName ?? null, ...timing, grants };
}

import { advanceAssignments, type AdvanceDeps, type AdvanceInput } from './advance.ts';
import type { AssignmentProgress } from './progress.ts';

/**
 * The account-assignment loop run to its end inside one invocation, for callers that are not a
 * state machine (reconcile's remove mode): turns of `advanceAssignments` with a pause of the
 * progress's `waitSeconds` between them, until nothing is in progress or the deadline passes
 * (then the progress says `in-progress`, and the caller reports it so). `pause` is injected so a
 * test runs the loop without waiting.
 */
export interface SettleDeps extends AdvanceDeps {
  pause(seconds: number): Promise<void>;
  /** Wall-clock seconds the loop may take (a Lambda's remaining time, less a margin). */
  deadlineSeconds: number;
  now(): Date;
}

export async function settleAssignments(deps: SettleDeps, input: AdvanceInput): Promise<AssignmentProgress> {
  const until = deps.now().getTime() + deps.deadlineSeconds * 1000;
  let progress = await advanceAssignments(deps, input);
  while (progress.state === 'in-progress' && deps.now().getTime() + progress.waitSeconds * 1000 <= until) {
    await deps.pause(progress.waitSeconds);
    progress = await advanceAssignments(deps, { employeeId: input.employeeId, userName: input.userName, progress });
  }
  return progress;
}

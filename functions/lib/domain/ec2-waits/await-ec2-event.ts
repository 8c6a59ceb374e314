import { DomainError } from '../shared/errors.ts';
import type { Clock, Ec2Observer, TaskResumer, WaitStore } from './ports.ts';
import { deadlinePassed, isSettledFor, stillSettling, type WaitUntil } from './waits.ts';

/** The wait has lasted longer than its deadline: the workflow records a failure. */
export class Ec2WaitDeadlineError extends DomainError {
  readonly statusCode = 504;
}

export interface AwaitEc2Deps {
  store: WaitStore;
  observer: Ec2Observer;
  resumer: TaskResumer;
  clock: Clock;
}

export interface AwaitEc2Request {
  taskToken: string;
  until: WaitUntil;
  employeeId: string;
  instanceIds?: readonly string[];
  /** The wait's name within its execution: its deadline counts from the first time it began. */
  waitKey: string;
  deadlineSeconds: number;
}

/** Parkings outlive the deadline by a day, then DynamoDB TTL removes them. */
const KEEP_MS = 24 * 60 * 60 * 1000;

/**
 * A "Wait For ..." task (lambda:invoke.waitForTaskToken): parks the token under every resource
 * still settling, or resumes it at once when nothing is. Looks again after parking: a
 * notification that came between the first look and the parking found no token, so a resource
 * that settled meanwhile resumes the task now rather than at the next safety poll.
 */
export async function awaitEc2Event(deps: AwaitEc2Deps, request: AwaitEc2Request): Promise<{ parked: string[] }> {
  const now = deps.clock.now();
  const since = await deps.store.beganAt(request.waitKey, now, new Date(now.getTime() + request.deadlineSeconds * 1000 + KEEP_MS));
  if (deadlinePassed(since, now, request.deadlineSeconds)) {
    throw new Ec2WaitDeadlineError(`${request.until}: still waiting ${request.deadlineSeconds} s after ${since.toISOString()} (${request.waitKey})`);
  }
  const scope = { employeeId: request.employeeId, ...(request.instanceIds ? { instanceIds: request.instanceIds } : {}) };
  const settling = stillSettling(request.until, await deps.observer.observe(request.until, scope));
  const resume = async (): Promise<{ parked: string[] }> => {
    await deps.resumer.succeed(request.taskToken, { until: request.until, settled: true });
    return { parked: [] };
  };
  if (settling.length === 0) return resume();
  const expiresAt = new Date(since.getTime() + request.deadlineSeconds * 1000 + KEEP_MS);
  await deps.store.park(settling, request.until, request.taskToken, expiresAt);
  const again = stillSettling(request.until, await deps.observer.observe(request.until, scope));
  if (settling.some((id) => !again.includes(id))) return resume();
  return { parked: settling };
}

export interface ResumeDeps {
  store: WaitStore;
  resumer: TaskResumer;
}

/**
 * The default bus rule's target: resumes every task parked under the resource a notification
 * is about, once the resource left the states its wait waits through. A token Step Functions
 * no longer waits on (the safety poll or another resource resumed it) is just unparked.
 */
export async function resumeEc2Waits(deps: ResumeDeps, news: { resourceId: string; state: string }): Promise<{ resumed: number }> {
  let resumed = 0;
  for (const parked of await deps.store.parkedUnder(news.resourceId)) {
    if (!isSettledFor(parked.until, news.state)) continue;
    if ((await deps.resumer.succeed(parked.taskToken, { until: parked.until, resourceId: news.resourceId, state: news.state })) === 'delivered') resumed++;
    await deps.store.unpark(parked);
  }
  return { resumed };
}

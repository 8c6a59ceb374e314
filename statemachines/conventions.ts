/**
 * The rules every `statemachines/*.asl.json` follows, as data: the ASL files stay the single
 * source of truth that CDK and the local cloud load, and `test/infra/asl-conventions.test.ts`
 * holds each file to these. Change a retrier here and in the files together
 * (`npm run asl:format` only formats; it never rewrites a retrier).
 */

/**
 * The one retrier every Lambda Task uses, last in its Retry list.
 *
 * - `Lambda.ServiceException`, `Lambda.AWSLambdaException`, `Lambda.SdkClientException`,
 *   `Lambda.ClientExecutionTimeoutException`: Lambda's transient 500s, which AWS asks every state
 *   machine to retry; `Lambda.TooManyRequestsException`: the invoke was throttled
 *   (https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html).
 * - `Lambda.Unknown`: "Unhandled errors in Lambda are reported as Lambda.Unknown in the error
 *   output. These include out-of-memory errors and function timeouts" (same page). Every task is
 *   idempotent (conditional writes, ClientToken, get-or-create), so running it again is safe.
 * - `Sandbox.Timedout`: the errorType current Lambda runtimes write into a timed-out function's
 *   error payload; kept so a timeout retries whichever name reaches the state.
 * - `TransientError`: our own name for "try again" (the shared kernel's errors module). Every AWS
 *   SDK call in functions/lib goes through `callAws`, which maps throttles (Identity Store's and
 *   Scheduler's `ThrottlingException`, EC2's `RequestLimitExceeded`, SESv2's
 *   `TooManyRequestsException`, ...), 5xx and dropped connections to it
 *   (test/unit/architecture/aws-calls.test.ts), so no SDK exception name is listed here.
 *
 * Backoff 1, 2, 4, 8, 16, 20 s (capped by MaxDelaySeconds), each drawn from [0, wait) by
 * JitterStrategy FULL so throttled executions do not retry in step
 * (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html#error-handling-retrying-after-an-error).
 */
export const CANONICAL_RETRIER = {
  ErrorEquals: [
    'TransientError',
    'Lambda.ServiceException',
    'Lambda.AWSLambdaException',
    'Lambda.SdkClientException',
    'Lambda.TooManyRequestsException',
    'Lambda.ClientExecutionTimeoutException',
    'Lambda.Unknown',
    'Sandbox.Timedout',
  ],
  IntervalSeconds: 1,
  BackoffRate: 2,
  MaxAttempts: 6,
  MaxDelaySeconds: 20,
  JitterStrategy: 'FULL',
} as const;

/** A documented exception: retriers placed before the canonical one, and why. */
export interface RetrierVariant {
  why: string;
  /** The retriers that come before CANONICAL_RETRIER, in order. */
  before: readonly Record<string, unknown>[];
}

/** A pending-resource poll: the function throws `error` while EC2 has not settled yet. */
const poll = (error: string, IntervalSeconds: number, MaxAttempts: number) => ({ ErrorEquals: [error], IntervalSeconds, BackoffRate: 1, MaxAttempts });

/**
 * The named variants a Task may use instead of the canonical retrier alone: short polls of an
 * EBS volume that settles in seconds (no EventBridge notification says an attachment or a
 * detachment finished). Waits that can take minutes to hours (an instance starting or
 * stopping, a snapshot) are not polls: the task catches its pending error and parks its token
 * in a "Wait For ..." state that EC2's notifications resume (EVENT_WAITS).
 */
export const RETRIER_VARIANTS: Record<string, RetrierVariant> = {
  'poll-volume-attached': {
    why: 'attach-storage: the data volume launched with the instance is still attaching (rare: it attaches as the instance starts), or an older instance\'s volume is creating or attaching (every 1 s, 1 min)',
    before: [poll('VolumePendingError', 1, 60)],
  },
  'poll-volume-deleted': {
    why: 'retire-workstation delete: a volume still detaching from a terminated instance (every 2 s, 2 min)',
    before: [poll('VolumePendingError', 2, 60)],
  },
};

/**
 * "Wait For ..." states: lambda:invoke.waitForTaskToken on await-ec2-event. TimeoutSeconds is
 * the safety poll (at most this long without a notification before the step looks again) and
 * the payload's deadlineSeconds the whole wait's budget, at least six hours (AWS publishes no
 * upper bound for a first EBS snapshot).
 */
export const EVENT_WAITS = { functionArn: '${AwaitEc2EventFunctionArn}', maxSafetyPollSeconds: 900, minDeadlineSeconds: 6 * 3600 } as const;

/** The Retry list of a variant (or of the canonical retrier alone, for undefined). */
export function retryList(variant?: string): readonly Record<string, unknown>[] {
  if (variant === undefined) return [CANONICAL_RETRIER];
  const found = RETRIER_VARIANTS[variant];
  if (!found) throw new Error(`unknown retrier variant ${variant}`);
  return [...found.before, CANONICAL_RETRIER];
}

/**
 * The only names besides `States.*` a Catch may list, each with what raises it: a Catch for an
 * error nothing raises is dead code that misleads (the test checks each name is in functions/).
 */
export const CAUGHT_ERRORS: Record<string, string> = {
  ApprovalDeniedError: 'the approval page answers a denial with SendTaskFailure under this name',
  RequestWithdrawnError: 'the time-bound API\'s withdraw (domain/time-bound/withdraw.ts) answers the waiting approval with SendTaskFailure under this name',
  WorkstationPendingError: 'check-workstation / retire-workstation stop: the instance is still pending or stopping; caught into its "Wait For ..." state',
  SnapshotPendingError: 'retire-workstation snapshot: a retained snapshot is still pending; caught into "Wait For Snapshots"',
  ValidationError: 'a task rejects bad input (the shared errors module); the leaver records a rejection',
};

/**
 * The approvers' Map: the same state in every machine that asks for approval, apart from its
 * `Next`. Each machine's prepare step writes the request at `$.request` with `requestId`,
 * `employeeId`, `approvalTimeoutSeconds` and `decision.chain`; the denial, expiry and failure
 * states it catches into are named the same everywhere.
 */
export const APPROVERS_MAP_STATE = 'Ask Approvers In Order';

/**
 * The one difference a machine's approvers Map may have: Catch entries before the shared ones,
 * for an error only that machine's requests can raise. Only a time-bound request has a requester
 * who may withdraw it (POST /access-requests/{id}/withdraw); a hire or a move comes from the HRIS.
 */
export const APPROVERS_MAP_EXTRA_CATCHES: Record<string, readonly string[]> = {
  'time-bound.asl.json': ['RequestWithdrawnError'],
};

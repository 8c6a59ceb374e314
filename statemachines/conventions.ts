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
 * - `TransientError`: our own name for "try again" (the shared kernel's errors module).
 * - `ThrottlingException`, `RequestLimitExceeded`, `TooManyRequestsException`: throttling names of
 *   Identity Store / Scheduler, EC2 and SESv2 that a function still lets escape unmapped; they go
 *   once every SDK call maps them to TransientError (`callAws`, issue #10).
 *
 * Backoff 1, 2, 4, 8, 16, 20 s (capped by MaxDelaySeconds), each drawn from [0, wait) by
 * JitterStrategy FULL so throttled executions do not retry in step
 * (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html#error-handling-retrying-after-an-error).
 */
export const CANONICAL_RETRIER = {
  ErrorEquals: [
    'TransientError',
    'ThrottlingException',
    'RequestLimitExceeded',
    'TooManyRequestsException',
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
 * The named variants a Task may use instead of the canonical retrier alone. Each one is a poll
 * of an EC2 resource that is still settling (the function checks once and throws the pending
 * error); issue #12 replaces these with waits resumed by EC2 / EBS notifications.
 */
export const RETRIER_VARIANTS: Record<string, RetrierVariant> = {
  'poll-instance-running': {
    why: 'check-workstation: the instance is still pending (every 3 s, 3 min)',
    before: [poll('WorkstationPendingError', 3, 60)],
  },
  'poll-instance-stopped': {
    why: 'retire-workstation stop: the instance is still stopping (every 2 s, 2 min)',
    before: [poll('WorkstationPendingError', 2, 60)],
  },
  'poll-volume-attached': {
    why: 'attach-storage: the volume is still creating or attaching (every 2 s, 1 min)',
    before: [poll('VolumePendingError', 2, 30)],
  },
  'poll-volume-deleted': {
    why: 'retire-workstation delete: a volume is still detaching (every 2 s, 2 min)',
    before: [poll('VolumePendingError', 2, 60)],
  },
  'poll-snapshot-completed': {
    why: 'retire-workstation snapshot: a snapshot is still pending (every 2 s, 3 min)',
    before: [poll('SnapshotPendingError', 2, 90)],
  },
};

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
  ValidationError: 'a task rejects bad input (the shared errors module); the leaver records a rejection',
};

/**
 * The approvers' Map: the same state in every machine that asks for approval, apart from its
 * `Next`. Each machine's prepare step writes the request at `$.request` with `requestId`,
 * `employeeId`, `approvalTimeoutSeconds` and `decision.chain`; the denial, expiry and failure
 * states it catches into are named the same everywhere.
 */
export const APPROVERS_MAP_STATE = 'Ask Approvers In Order';

import { z } from 'zod';

/**
 * How an execution ended, in the one shape every workflow writes (issue #18): at `$.outcome` of
 * a succeeded execution's output, and as the `Cause` of a failed one (a Fail state has no output,
 * so its `CausePath` is `$.outcome.words`). `gatehouse status` prints `words`; `result` is for
 * code (a dashboard, a test). Pure.
 */
export const WORKFLOW_RESULTS = [
  'provisioned',
  'moved',
  'unchanged',
  'granted',
  'extended',
  'revoked',
  'reminded',
  'access-removed',
  'leave-scheduled',
  'leave-cancelled',
  'ignored',
  'denied',
  'expired',
  'rejected',
  'withdrawn',
  'failed',
  'reconciled',
  'converged',
  'closed',
] as const;
export type WorkflowResult = (typeof WORKFLOW_RESULTS)[number];

/** Record Outcome writes its bookkeeping (status, marked, auditSeq...) beside these fields; the shape is these. */
export const workflowOutcomeSchema = z.object({
  result: z.enum(WORKFLOW_RESULTS),
  words: z.string().min(1),
  /** The step that failed (a failure only). */
  step: z.string().min(1).optional(),
  /** Whether what the failed run had provisioned was undone (a failure only, when known). */
  undone: z.boolean().optional(),
});
export type WorkflowOutcome = z.infer<typeof workflowOutcomeSchema>;

const WORDS: Record<WorkflowResult, string> = {
  provisioned: 'provisioned',
  moved: 'moved',
  unchanged: 'nothing to move (the role did not change)',
  granted: 'granted',
  extended: 'extended (the grant ends later)',
  revoked: 'revoked',
  reminded: 'reminded (access ends soon)',
  'access-removed': 'access removed',
  'leave-scheduled': 'leave scheduled (access ends on the effective date)',
  'leave-cancelled': 'leave cancelled',
  ignored: 'ignored (nothing changed)',
  denied: 'denied',
  expired: 'expired (no approver answered in time)',
  rejected: 'rejected',
  withdrawn: 'withdrawn (by the requester or an operator, before a decision)',
  failed: 'failed',
  reconciled: 'reconciled',
  converged: 'converged',
  closed: 'closed',
};

export interface OutcomeDetail {
  step?: string;
  undone?: boolean;
  /** A short why, for `rejected: <why>` (an error's name; never personal data). */
  why?: string;
}

/** `failed: Launch Workstation (what was provisioned was undone)`, `rejected: ValidationError`, `provisioned`. */
export function wordsOf(result: WorkflowResult, detail: OutcomeDetail = {}): string {
  if (result === 'failed') {
    const undone = detail.undone === undefined ? '' : detail.undone ? ' (what was provisioned was undone)' : ' (nothing needed undoing)';
    return `failed: ${detail.step ?? 'unknown step'}${undone}`;
  }
  return detail.why ? `${WORDS[result]}: ${detail.why}` : WORDS[result];
}

export function namedOutcome(result: WorkflowResult, detail: OutcomeDetail = {}): WorkflowOutcome {
  return {
    result,
    words: wordsOf(result, detail),
    ...(detail.step !== undefined ? { step: detail.step } : {}),
    ...(detail.undone !== undefined ? { undone: detail.undone } : {}),
  };
}

/** The outcome an execution's output or cause names, if it names one in this shape. */
export function outcomeIn(output: unknown): WorkflowOutcome | undefined {
  const parsed = z.object({ outcome: z.looseObject({ result: z.enum(WORKFLOW_RESULTS), words: z.string().min(1) }) }).safeParse(output);
  return parsed.success ? { result: parsed.data.outcome.result, words: parsed.data.outcome.words } : undefined;
}

/** Whether a failed execution's Cause is an outcome's words (`failed: <step>...`, `rejected...`). */
export const isOutcomeWords = (cause: string | undefined): cause is string => cause !== undefined && /^(failed|rejected)(: |$)/.test(cause);

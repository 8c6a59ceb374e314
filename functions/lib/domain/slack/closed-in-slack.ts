import type { Approval } from '../approvals/approval.ts';
import type { ApprovalRepository } from '../approvals/ports.ts';
import type { RequestRepository } from '../requests/ports.ts';
import { approvalOutcomeMessage, closedOutcome } from './approval-message.ts';
import type { SlackApi } from './ports.ts';

/**
 * An approval that closes without a click (the request was cancelled, or its deadline passed)
 * has its Slack copy rewritten at once (`chat.update`: the summary, the outcome, no buttons), so
 * the approver does not find live-looking buttons later. Best effort and safe to repeat: the
 * same rewrite twice shows the same message; a failed update is reported, never thrown, so Slack
 * being down never holds up a leaver or an outcome (the mail already told the approver, and a
 * click on the old message still shows the current state: interactions.ts).
 */

export interface ClosedInSlackDeps {
  /** Slack for this function, undefined while it is off (runtime/slack.ts). */
  slack: () => Promise<SlackApi | undefined>;
  approvals: Pick<ApprovalRepository, 'get'>;
  records: Pick<RequestRepository, 'get'>;
}

/** The newest approval of an execution, in full (dynamodb/approvals.ts createApprovalLookup). */
export interface NewestApproval {
  newestApproval(requestId: string, executionId: string): Promise<Approval | undefined>;
}

export type ClosedKind = 'cancelled' | 'expired';
/**
 * Per approval, in order: `updated`, `not-in-slack` (never posted), `slack-off`, `gone` (no approval
 * or request), `still-pending` (not cancelled after all), or `failed: <error>`. No approval ids: they are link secrets.
 */
export type ClosedResult = string;

async function rewriteOne(deps: ClosedInSlackDeps, api: SlackApi | undefined, approval: Approval, kind: ClosedKind): Promise<string> {
  if (!approval.slackTs || !approval.slackChannel) return 'not-in-slack';
  if (!api) return 'slack-off';
  const request = await deps.records.get(approval.requestId).catch(() => undefined);
  if (!request) return 'gone';
  try {
    await api.updateMessage(approvalOutcomeMessage(approval, request, closedOutcome(approval, kind), approval.slackChannel, approval.slackTs));
    return 'updated';
  } catch (error) {
    return `failed: ${error instanceof Error ? error.name : 'unknown'}`;
  }
}

/** Rewrites the Slack copy of each approval as `kind`; approvals still pending (not closed) are left alone. */
export async function showClosedInSlack(deps: ClosedInSlackDeps, approvalIds: readonly string[], kind: ClosedKind): Promise<ClosedResult[]> {
  const found = await Promise.all(approvalIds.map((approvalId) => deps.approvals.get(approvalId)));
  if (!found.some((approval) => approval?.slackTs)) return found.map((approval) => (approval ? 'not-in-slack' : 'gone'));
  const api = await deps.slack();
  const results: ClosedResult[] = [];
  for (const approval of found) {
    results.push(!approval ? 'gone' : kind === 'cancelled' && approval.status === 'pending' ? 'still-pending' : await rewriteOne(deps, api, approval, kind));
  }
  return results;
}

/**
 * Record Expiry / Record Withdrawal: the step that closed is the execution's newest approval, still
 * pending (it timed out) or cancelled as withdrawn; its Slack copy now says which.
 */
export async function showNewestClosedInSlack(deps: ClosedInSlackDeps & { lookup: NewestApproval }, requestId: string, executionId: string, kind: 'expired' | 'withdrawn'): Promise<ClosedResult> {
  const approval = await deps.lookup.newestApproval(requestId, executionId);
  if (!approval) return 'gone';
  const closedSo = kind === 'expired' ? approval.status === 'pending' : approval.status === 'cancelled' && approval.withdrawnBy !== undefined;
  if (!closedSo) return `not-${kind}: ${approval.status}`;
  const api = await deps.slack();
  return rewriteOne(deps, api, approval, kind === 'expired' ? 'expired' : 'cancelled');
}

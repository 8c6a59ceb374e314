import { durationInWords } from '../shared/duration-words.ts';
import { oneLine } from '../shared/text.ts';
import type { Approval } from '../approvals/approval.ts';
import { approverCapacity, formatTime, requestKindWords, roleName, stepLabel, subjectName, withdrawnWords } from '../approvals/presentation.ts';
import type { RequestRecord } from '../requests/request-record.ts';
import { extensionRows } from '../requests/words.ts';
import type { SlackBlock, SlackMessage } from './ports.ts';

/**
 * The approval request as a Block Kit message to the approver's DM, and the same message
 * rewritten with the outcome once decided. Values go in `plain_text` objects, which Slack
 * never parses as markup (no mentions, no links); the one `mrkdwn` line carries no data.
 */

export const APPROVE_ACTION = 'gatehouse_approve';
export const DENY_ACTION = 'gatehouse_deny';
export const REASON_BLOCK = 'gatehouse_reason';
export const REASON_ACTION = 'reason';

const plain = (text: string) => ({ type: 'plain_text', text: oneLine(text).slice(0, 2900) || ' ', emoji: false });

function facts(approval: Approval, request: RequestRecord): [string, string][] {
  return [
    ['Who', subjectName(request)],
    ['Role', roleName(request)],
    ['Why', request.decision.reason],
    ...(request.kind === 'time-bound' && request.requester ? [['Asked by', request.requester.email] as [string, string]] : []),
    ...(request.kind === 'time-bound' && request.duration !== undefined ? [['For', durationInWords(request.duration)] as [string, string]] : []),
    ...(request.kind === 'time-bound' && request.justification ? [['Justification', request.justification] as [string, string]] : []),
    ...(request.kind === 'extension' && request.requester ? [['Asked by', request.requester.email] as [string, string]] : []),
    ...extensionRows(request),
    ['Step', `${stepLabel(approval, request)}, ${approverCapacity(approval)}`],
    ['Decide before', formatTime(approval.expiresAt)],
  ];
}

function summary(approval: Approval, request: RequestRecord): SlackBlock[] {
  const entitlements = request.entitlements.map((e) => `• ${e.id} (${e.risk} risk): ${e.description}`).join('\n');
  return [
    { type: 'header', text: plain(`Approval needed: ${requestKindWords(request)}`) },
    // Section fields: at most 10, each at most 2,000 characters (Block Kit reference, section block).
    { type: 'section', fields: facts(approval, request).slice(0, 10).map(([label, value]) => plain(`${label}: ${value}`.slice(0, 1990))) },
    { type: 'section', text: { type: 'plain_text', text: `Entitlements:\n${entitlements}`.slice(0, 2900), emoji: false } },
  ];
}

export function approvalRequestMessage(approval: Approval, request: RequestRecord, channel: string): SlackMessage {
  return {
    channel,
    text: oneLine(`Approval needed: ${requestKindWords(request)} for ${subjectName(request)}`),
    blocks: [
      ...summary(approval, request),
      {
        type: 'input',
        block_id: REASON_BLOCK,
        optional: true,
        label: plain('Comment (required to deny)'),
        element: { type: 'plain_text_input', action_id: REASON_ACTION, multiline: true, max_length: 500 },
      },
      {
        type: 'actions',
        elements: [
          { type: 'button', action_id: APPROVE_ACTION, style: 'primary', text: plain('Approve'), value: approval.approvalId },
          { type: 'button', action_id: DENY_ACTION, style: 'danger', text: plain('Deny'), value: approval.approvalId },
        ],
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'Only you can decide this, once, before the deadline. The same request was e-mailed to you.' }] },
    ],
  };
}

export type SlackOutcome =
  | { kind: 'approved' | 'denied'; by: string; at: string; comment?: string | undefined }
  | { kind: 'expired' | 'cancelled' | 'superseded' }
  /** `why`: presentation.ts withdrawnWords ("The requester withdrew it: ..."). */
  | { kind: 'withdrawn'; why: string };

const OUTCOME_WORDS: Record<SlackOutcome['kind'], string> = {
  approved: 'Approved',
  denied: 'Denied',
  expired: 'Expired: the deadline passed before a decision; nothing was decided',
  cancelled: 'Cancelled: the request was cancelled; nothing was decided',
  superseded: 'Replaced by a newer request; decide on the newer message',
  withdrawn: 'Withdrawn before a decision; nothing to decide',
};

export function outcomeLine(outcome: SlackOutcome): string {
  if (outcome.kind === 'approved' || outcome.kind === 'denied') {
    return `${OUTCOME_WORDS[outcome.kind]} by ${outcome.by} at ${formatTime(outcome.at)}${outcome.comment ? `: "${outcome.comment}"` : ''}`;
  }
  if (outcome.kind === 'withdrawn') return `${OUTCOME_WORDS.withdrawn}. ${outcome.why}`;
  return OUTCOME_WORDS[outcome.kind];
}

/** How a closed approval that nobody decided reads in Slack: a withdrawal names who and why. */
export const closedOutcome = (approval: Approval, kind: 'expired' | 'cancelled' | 'superseded'): SlackOutcome =>
  kind === 'cancelled' && approval.withdrawnBy ? { kind: 'withdrawn', why: withdrawnWords(approval, 300) } : { kind };

/** The request message without its input and buttons, ending with what happened. */
export function approvalOutcomeMessage(approval: Approval, request: RequestRecord, outcome: SlackOutcome, channel: string, ts: string): SlackMessage & { ts: string } {
  const line = outcomeLine(outcome);
  return {
    channel,
    ts,
    text: oneLine(`${line} — ${subjectName(request)}`),
    blocks: [...summary(approval, request), { type: 'section', text: plain(line) }],
  };
}

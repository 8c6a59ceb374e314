import type { ApprovalRepository } from '../../adapters/dynamodb/approvals.ts';
import type { ApprovalInSlack } from '../approvals/request-approval.ts';
import type { Clock } from '../shared/clock.ts';
import { approvalRequestMessage } from './approval-message.ts';
import type { SlackApi } from './ports.ts';

/**
 * The Slack copy of "Ask Approver": the approver is found by e-mail (users.lookupByEmail) and
 * gets the Block Kit message in the app's DM. At most once per approval: the right to post is
 * a conditional write (`claimSlack`) before chat.postMessage, so a retried or re-driven step
 * never posts twice; a crash between the two loses only the Slack copy (the e-mail always goes).
 * An approver with no Slack account still has the e-mail.
 */
export function approvalInSlack(deps: { slack: SlackApi; approvals: Pick<ApprovalRepository, 'claimSlack' | 'recordSlackMessage'>; clock: Clock }): ApprovalInSlack {
  return async (approval, request) => {
    if (approval.slackedAt) return 'already-sent';
    if (approval.status !== 'pending') return 'not-needed';
    const userId = await deps.slack.userIdByEmail(approval.approver.email);
    if (!userId) return 'no-slack-user';
    if (!(await deps.approvals.claimSlack(approval.approvalId, deps.clock.now().toISOString()))) return 'already-sent';
    const posted = await deps.slack.postMessage(approvalRequestMessage(approval, request, userId));
    await deps.approvals.recordSlackMessage(approval.approvalId, posted.channel, posted.ts);
    return 'sent';
  };
}

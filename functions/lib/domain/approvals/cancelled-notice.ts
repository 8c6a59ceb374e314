import type { Notification } from '../notifications/kinds.ts';
import type { RequestRepository } from '../requests/ports.ts';
import type { Approval } from './approval.ts';
import type { ApprovalRepository } from './ports.ts';
import { askedFor } from '../requests/words.ts';

/**
 * Approvers are told when what they were asked about was cancelled, with the real reason
 * (issue #18): one `cancelled` notification per request, to every approver whose link it voided.
 */
export interface CancelledNoticeDeps {
  approvals: Pick<ApprovalRepository, 'get'>;
  records: Pick<RequestRepository, 'get'>;
  notify(notification: Notification): Promise<{ status: string }>;
}

/** `step`: only that step of the request was closed (an N-of-M step decided by other approvers), not the request. */
export async function tellApproversCancelled(deps: CancelledNoticeDeps, approvalIds: readonly string[], reason: (displayName: string) => string, step?: number): Promise<string[]> {
  const found = await Promise.all(approvalIds.map((id) => deps.approvals.get(id)));
  const byRequest = new Map<string, Approval[]>();
  for (const approval of found) if (approval) byRequest.set(approval.requestId, [...(byRequest.get(approval.requestId) ?? []), approval]);
  const statuses: string[] = [];
  for (const [requestId, approvals] of byRequest) {
    const record = await deps.records.get(requestId).catch(() => undefined);
    const first = approvals[0]!;
    const what = record ? askedFor(record) : `request ${requestId}`;
    const displayName = record?.employeeDisplayName ?? first.employeeId;
    const sent = await deps.notify({
      kind: 'cancelled',
      person: { employeeId: first.employeeId, displayName },
      requestId,
      approverEmails: [...new Set(approvals.map((a) => a.approver.email))],
      what,
      reason: reason(displayName),
      ...(step === undefined ? {} : { approvalStep: step }),
    });
    statuses.push(sent.status);
  }
  return statuses;
}

import type { Notification } from '../notifications/kinds.ts';
import { personOrId, type PeopleDirectory } from '../notifications/people.ts';
import type { RequestRecord } from '../requests/request-record.ts';
import type { RequestRepository } from '../requests/ports.ts';
import { askedFor } from '../requests/words.ts';
import type { Approval } from './approval.ts';

/**
 * The requester (and the person's manager) are told a request was approved (issue #18), once the
 * last step of its chain approved: one `approved` per request (the notifications ledger keys it
 * by kind, person and request), naming the approver who closed the chain and their comment.
 */
export interface ApprovedNotices {
  notify(notification: Notification): Promise<{ status: string }>;
  people: PeopleDirectory;
  records: Pick<RequestRepository, 'get'>;
}

/** The notification for an approval just delivered, or undefined when it is not the chain's last approval. */
export function approvedNotification(approval: Approval, record: RequestRecord | undefined, person: Notification['person']): Notification | undefined {
  if (approval.status !== 'approved' || !record) return undefined;
  const chain = record.decision.decision === 'needs-approval' ? record.decision.chain : [];
  if (approval.step < chain.length - 1) return undefined;
  const requesterEmail = record.requester?.email;
  if (!requesterEmail) return undefined;
  return {
    kind: 'approved',
    person,
    requestId: approval.requestId,
    requesterEmail,
    approverEmail: approval.approver.email,
    what: askedFor(record),
    ...(approval.comment ? { comment: approval.comment.slice(0, 500) } : {}),
  };
}

/**
 * Sends it. The decision is delivered already and the workflow goes on: a notice that fails is
 * not the approver's problem, so this never throws; the status says what happened.
 */
export async function tellApproved(notices: ApprovedNotices, approval: Approval): Promise<string> {
  try {
    const [record, found] = await Promise.all([notices.records.get(approval.requestId).catch(() => undefined), notices.people.person(approval.employeeId)]);
    const notification = approvedNotification(approval, record, personOrId(found, approval.employeeId, record?.employeeDisplayName));
    return notification ? (await notices.notify(notification)).status : 'not-last-step';
  } catch (error) {
    return `failed: ${error instanceof Error ? error.name : 'unknown'}`;
  }
}

import { durationInWords } from '../shared/duration-words.ts';
import type { RequestRecord } from '../requests/request-record.ts';
import type { Approval } from './approval.ts';
import type { Mail } from './ports.ts';
import { askedFor, extensionRows } from '../requests/words.ts';
import { oneLine } from '../shared/text.ts';
import type { NotificationOf } from '../notifications/kinds.ts';
import { renderNotification } from '../notifications/templates.ts';
import { approverCapacity, formatTime, requestKindWords, roleName, stepLabel, subjectName } from './presentation.ts';

/** A time-bound request also says who asks, for how long, and why (the requester's words); an extension, the end now and the end asked for. */
function timeBoundRows(request: RequestRecord): [string, string][] {
  if (request.kind === 'extension') {
    return [...(request.requester ? [['Asked by', `${request.requester.email} (${request.requester.employeeId})`] as [string, string]] : []), ...extensionRows(request)];
  }
  if (request.kind !== 'time-bound') return [];
  return [
    ...(request.requester ? [['Asked by', `${request.requester.email} (${request.requester.employeeId})`] as [string, string]] : []),
    ...(request.duration !== undefined ? [['For', durationInWords(request.duration)] as [string, string]] : []),
    ...(request.justification ? [['Justification', oneLine(request.justification).slice(0, 200)] as [string, string]] : []),
  ];
}

export const approvalLink = (baseUrl: string, approvalId: string): string => `${baseUrl.replace(/\/+$/, '')}/approvals/${approvalId}`;

/** What the approval-needed notification (domain/notifications) says about this approval. */
export function approvalNeededNotification(approval: Approval, request: RequestRecord, baseUrl: string): NotificationOf<'approval-needed'> {
  const role = roleName(request);
  return {
    kind: 'approval-needed',
    person: { employeeId: request.employeeId, displayName: request.employeeDisplayName },
    requestId: request.requestId,
    approverEmail: approval.approver.email,
    what: askedFor(request),
    kindWords: requestKindWords(request),
    rows: [
      ['Who', subjectName(request)],
      ['Role', role],
      ['Why', request.decision.reason],
      ...timeBoundRows(request),
      ['Step', `${stepLabel(approval, request)}, ${approverCapacity(approval)}`],
      ['Link expires', formatTime(approval.expiresAt)],
    ],
    entitlements: request.entitlements.map((e) => ({ id: e.id, risk: e.risk, description: e.description })),
    link: approvalLink(baseUrl, approval.approvalId),
  };
}

/**
 * The e-mail that asks for a decision, from the approval-needed template: the link (the
 * approval id) and what is asked; never the task token, never the CSRF secret.
 */
export function composeApprovalEmail(approval: Approval, request: RequestRecord, baseUrl: string): Mail {
  return { to: approval.approver.email, ...renderNotification(approvalNeededNotification(approval, request, baseUrl)) };
}

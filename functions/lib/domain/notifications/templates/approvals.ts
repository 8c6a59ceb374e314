import { formatTime } from '../../shared/dates.ts';
import type { NotificationOf } from '../kinds.ts';
import { compose, type MailContent } from '../layout.ts';

/** Templates of the approval chain: the ask, and what became of it. One function per kind. */

const who = (n: { person: { displayName: string; employeeId: string } }): string => `${n.person.displayName} (${n.person.employeeId})`;

/**
 * The e-mail that asks for a decision. It carries the link (the approval id) and what is
 * asked; never the task token, never the CSRF secret. The decision itself happens on the
 * page (a GET shows it, only a POST from it decides), so a mail scanner following the link
 * decides nothing.
 */
export function approvalNeeded(n: NotificationOf<'approval-needed'>): MailContent {
  return compose({
    subject: `Approval needed: ${n.what} for ${n.person.displayName}`,
    lead: `Gatehouse needs your decision on ${n.kindWords}.`,
    facts: n.rows,
    lists: [{ title: 'Entitlements', items: n.entitlements.map((e) => `${e.id} (${e.risk} risk): ${e.description}`) }],
    link: { label: 'Review and approve or deny', href: n.link },
    closing: 'The link works once, only for you, until it expires. Opening it changes nothing; you decide on the page.',
  });
}

export function approved(n: NotificationOf<'approved'>): MailContent {
  return compose({
    subject: `Approved: ${n.what} for ${n.person.displayName}`,
    lead: `${n.approverEmail} approved ${n.what} for ${who(n)}. Gatehouse is provisioning it now; you will hear when it is ready.`,
    facts: [
      ['Approved by', n.approverEmail],
      ...(n.comment ? [['Comment', n.comment] as const] : []),
      ['Request', n.requestId],
    ],
  });
}

export function denied(n: NotificationOf<'denied'>): MailContent {
  return compose({
    subject: `Denied: ${n.what} for ${n.person.displayName}`,
    lead: `The request for ${n.what} for ${who(n)} was denied. Nothing was provisioned.`,
    facts: [
      ...(n.approverEmail ? [['Denied by', n.approverEmail] as const] : []),
      ['Reason', n.reason ?? 'no reason was given'],
      ['Request', n.requestId],
    ],
    closing: 'If the access is still needed, talk to the approver, then ask again (or correct the HR record).',
  });
}

export function approvalExpired(n: NotificationOf<'approval-expired'>): MailContent {
  return compose({
    subject: `Not decided in time: ${n.what} for ${n.person.displayName}`,
    lead: `Nobody decided on ${n.what} for ${who(n)} before the approval link expired, so nothing was provisioned.`,
    facts: [...(n.expiredAt ? [['Expired', formatTime(n.expiredAt)] as const] : []), ['Request', n.requestId]],
    closing: 'Ask again (or send the HR event again) to start a new approval.',
  });
}

export function cancelled(n: NotificationOf<'cancelled'>): MailContent {
  const closed = n.approvalStep === undefined ? 'That request was cancelled' : `Enough of the other approvers have decided approval step ${n.approvalStep + 1} of that request`;
  return compose({
    subject: `No decision needed any more: ${n.what} for ${n.person.displayName}`,
    lead: `You were asked to approve ${n.what} for ${who(n)}. ${closed}, so the link you received no longer works and nothing is needed from you.`,
    facts: [
      ['Why', n.reason],
      ['Request', n.requestId],
    ],
  });
}

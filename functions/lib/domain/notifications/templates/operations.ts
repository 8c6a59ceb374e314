import type { NotificationOf } from '../kinds.ts';
import { formatTime } from '../../shared/dates.ts';
import { compose, listed, type MailContent } from '../layout.ts';

/** Templates for operators: failures, completed leavers, identity conflicts, break-glass. One function per kind. */

const who = (n: { person: { displayName: string; employeeId: string } }): string => `${n.person.displayName} (${n.person.employeeId})`;

export function workflowFailed(n: NotificationOf<'workflow-failed'>): MailContent {
  return compose({
    subject: `Failed: ${n.workflow} for ${n.person.displayName} at ${n.step}`,
    lead: `The ${n.workflow} workflow for ${who(n)} failed at "${n.step}".`,
    facts: [
      ['Failed step', n.step],
      ['Error', n.cause ? `${n.error}: ${n.cause}` : n.error],
      ['What was undone', n.undone ? 'what this request had created was removed again' : 'nothing was undone; what was done before the failure stays'],
      ['Request', n.requestId],
    ],
    closing: `What to do: check the error above (npm run gatehouse -- status ${n.requestId}), fix the cause, then send the HR event again or ask again.`,
  });
}

export function leaverDone(n: NotificationOf<'leaver-done'>): MailContent {
  return compose({
    subject: `Leaver done: ${n.person.displayName} (${n.person.employeeId})`,
    lead: `All access of ${who(n)} was removed.`,
    facts: [
      ['Identity Center user', n.userDeleted ? 'deleted' : 'none found'],
      ['Workstations retired', `${n.workstationsRetired} (volumes snapshotted before deletion)`],
      ['Request', n.requestId],
    ],
    lists: [{ title: 'Closed grants', items: listed(n.removed) }],
  });
}

export function identityConflict(n: NotificationOf<'identity-conflict'>): MailContent {
  return compose({
    subject: `Identity conflict: ${n.person.displayName} (${n.person.employeeId}) was not provisioned`,
    lead: `The work e-mail of ${who(n)} belongs to an Identity Center user linked to someone else. Gatehouse never merges people, so nothing was provisioned.`,
    facts: [
      ...(n.email ? [['E-mail', n.email] as const] : []),
      ...(n.detail ? [['Detail', n.detail] as const] : []),
      ['Request', n.requestId],
    ],
    closing: 'What to do: correct the e-mail in the HR system, or unlink the other user, then send the hire again.',
  });
}

export function breakGlassUsed(n: NotificationOf<'break-glass-used'>): MailContent {
  return compose({
    subject: `BREAK-GLASS: ${n.person.displayName} (${n.person.employeeId}) took ${n.granted.map((e) => e.id).join(', ')} without approval`,
    lead: `${who(n)} took break-glass access: it was granted at once, without approval, and ends by itself at ${formatTime(n.endsAt)}.`,
    facts: [
      ['Reason given', n.reason],
      ['Access ends', formatTime(n.endsAt)],
      ['Review', n.reviewId],
      ['Request', n.requestId],
    ],
    lists: [{ title: 'Granted', items: listed(n.granted) }],
    closing: `What to do: an owner reviews this use in the console's Reviews page (review ${n.reviewId}): keep it, or revoke it as misuse with a reason. If it is not expected, an operator ends it now: POST /access-requests/${n.requestId}/revoke.`,
  });
}

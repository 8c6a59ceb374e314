import { formatTime } from '../../shared/dates.ts';
import type { NotificationOf } from '../kinds.ts';
import { compose, listed, type MailContent } from '../layout.ts';

/** Templates of what a person now has or no longer has: one function per kind. */

const who = (n: { person: { displayName: string; employeeId: string } }): string => `${n.person.displayName} (${n.person.employeeId})`;

export function accessReady(n: NotificationOf<'access-ready'>): MailContent {
  return compose({
    subject: `Access ready for ${who(n)}`,
    lead: `Access is ready for ${who(n)}.`,
    facts: [
      ['Role', n.role],
      ...(n.startDate ? [['Start date', n.startDate] as const] : []),
      ...(n.workstation ? [['Workstation', n.workstation] as const] : []),
      ...(n.accessEnds ? [['Access ends', formatTime(n.accessEnds)] as const] : []),
      ['Request', n.requestId],
    ],
    lists: [{ title: 'Granted', items: listed(n.granted) }],
  });
}

export function accessMoved(n: NotificationOf<'access-moved'>): MailContent {
  const removed = [...listed(n.removed), ...(n.retiredWorkstation ? [`${n.retiredWorkstation}: the old role's workstation, terminated (its volumes were snapshotted first)`] : [])];
  return compose({
    subject: `Access changed for ${who(n)}: ${n.fromRole} to ${n.toRole}`,
    lead: `${who(n)} moved from ${n.fromRole} to ${n.toRole}; their access now matches the new role.`,
    facts: [
      ['Old role', n.fromRole],
      ['New role', n.toRole],
      ['Request', n.requestId],
    ],
    lists: [
      { title: 'Granted', items: listed(n.granted) },
      { title: 'Removed', items: removed },
    ],
    ...(n.granted.length + removed.length === 0 ? { closing: 'Nothing was added or removed: both roles grant the same access.' } : {}),
  });
}

export function timeBoundGranted(n: NotificationOf<'time-bound-granted'>): MailContent {
  return compose({
    subject: `Time-bound access granted to ${who(n)} until ${formatTime(n.endsAt)}`,
    lead: `${who(n)} now has time-bound access. It ends by itself at ${formatTime(n.endsAt)}.`,
    facts: [
      ['Access ends', formatTime(n.endsAt)],
      ['Request', n.requestId],
    ],
    lists: [{ title: 'Granted', items: listed(n.granted) }],
  });
}

export function accessEndingSoon(n: NotificationOf<'access-ending-soon'>): MailContent {
  return compose({
    subject: `Time-bound access of ${who(n)} ends at ${formatTime(n.endsAt)}`,
    lead: `The time-bound access of ${who(n)} ends at ${formatTime(n.endsAt)}. Ask again before then if it is still needed.`,
    facts: [
      ['Access ends', formatTime(n.endsAt)],
      ['Request', n.requestId],
    ],
    lists: [{ title: 'Ending', items: listed(n.granted) }],
  });
}

export function accessExtended(n: NotificationOf<'access-extended'>): MailContent {
  return compose({
    subject: `Time-bound access of ${who(n)} extended until ${formatTime(n.endsAt)}`,
    lead: `The time-bound access of ${who(n)} was extended. It now ends by itself at ${formatTime(n.endsAt)} instead of ${formatTime(n.previousEnd)}.`,
    facts: [
      ['Access ends', formatTime(n.endsAt)],
      ['Was to end', formatTime(n.previousEnd)],
      ['Approved by', n.approvedBy.join(', ')],
      ['Reason', n.reason],
      ['Extension', n.requestId],
    ],
    lists: [{ title: 'Extended', items: listed(n.granted) }],
  });
}

export function accessRevoked(n: NotificationOf<'access-revoked'>): MailContent {
  return compose({
    subject: `Access revoked for ${who(n)}`,
    lead: `Time-bound access of ${who(n)} was revoked before its end by ${n.revokedBy}.`,
    facts: [
      ['Revoked by', n.revokedBy],
      ['Reason', n.reason],
      ['Request', n.requestId],
    ],
    lists: [{ title: 'Removed', items: listed(n.removed) }],
  });
}

export function accessExpired(n: NotificationOf<'access-expired'>): MailContent {
  return compose({
    subject: `Time-bound access of ${who(n)} has ended`,
    lead: `The time-bound access of ${who(n)} reached its end and was removed.`,
    facts: [['Request', n.requestId]],
    lists: [{ title: 'Removed', items: listed(n.removed) }],
  });
}

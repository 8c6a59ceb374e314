import type { Notification, NotificationKind } from './kinds.ts';

/**
 * Who is told what (issue #18): the person and their manager about their own access, the
 * requester and the owner of the HR feed (the operators) about a decision, approvers about what
 * they were asked and is now void, operators about failures and leavers, operators and the
 * entitlements' owners about break-glass.
 */
type Audience = 'person' | 'manager' | 'requester' | 'approver' | 'approvers' | 'operators' | 'owners';

const AUDIENCE: Record<NotificationKind, readonly Audience[]> = {
  'access-ready': ['person', 'manager', 'operators'],
  'access-moved': ['person', 'manager'],
  'approval-needed': ['approver'],
  approved: ['requester', 'manager'],
  denied: ['requester', 'manager', 'operators'],
  'approval-expired': ['requester', 'manager', 'operators'],
  cancelled: ['approvers'],
  'time-bound-granted': ['person', 'requester'],
  'access-ending-soon': ['person', 'requester'],
  'access-extended': ['person', 'requester'],
  'access-revoked': ['person', 'requester', 'manager'],
  'access-expired': ['person', 'requester'],
  'workflow-failed': ['requester', 'operators'],
  'leaver-done': ['manager', 'operators'],
  'identity-conflict': ['operators'],
  'break-glass-used': ['operators', 'owners'],
};

function addresses(notification: Notification, audience: Audience, operatorEmail: string): (string | undefined)[] {
  switch (audience) {
    case 'person':
      return [notification.person.email];
    case 'manager':
      return [notification.person.managerEmail];
    case 'operators':
      return [operatorEmail];
    case 'requester':
      return ['requesterEmail' in notification ? notification.requesterEmail : undefined];
    case 'approver':
      return ['approverEmail' in notification && notification.kind === 'approval-needed' ? notification.approverEmail : undefined];
    case 'approvers':
      return notification.kind === 'cancelled' ? notification.approverEmails : [];
    case 'owners':
      return notification.kind === 'break-glass-used' ? notification.ownerEmails : [];
  }
}

/** The recipients of a notification, in audience order, each mailbox once (case-insensitive). */
export function recipientsOf(notification: Notification, operatorEmail: string): string[] {
  const all = AUDIENCE[notification.kind].flatMap((audience) => addresses(notification, audience, operatorEmail));
  const seen = new Set<string>();
  return all.filter((address): address is string => {
    if (address === undefined || seen.has(address.toLowerCase())) return false;
    seen.add(address.toLowerCase());
    return true;
  });
}

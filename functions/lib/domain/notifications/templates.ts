import type { Notification, NotificationKind, NotificationOf } from './kinds.ts';
import type { MailContent } from './layout.ts';
import { accessEndingSoon, accessExpired, accessExtended, accessMoved, accessReady, accessRevoked, timeBoundGranted } from './templates/access.ts';
import { approvalExpired, approvalNeeded, approved, cancelled, denied } from './templates/approvals.ts';
import { breakGlassUsed, identityConflict, leaverDone, workflowFailed } from './templates/operations.ts';

/** One template per kind: a pure function from the notification's facts to subject, text and HTML. */
const TEMPLATES: { [K in NotificationKind]: (notification: NotificationOf<K>) => MailContent } = {
  'access-ready': accessReady,
  'access-moved': accessMoved,
  'approval-needed': approvalNeeded,
  approved,
  denied,
  'approval-expired': approvalExpired,
  cancelled,
  'time-bound-granted': timeBoundGranted,
  'access-ending-soon': accessEndingSoon,
  'access-extended': accessExtended,
  'access-revoked': accessRevoked,
  'access-expired': accessExpired,
  'workflow-failed': workflowFailed,
  'leaver-done': leaverDone,
  'identity-conflict': identityConflict,
  'break-glass-used': breakGlassUsed,
};

export function renderNotification(notification: Notification): MailContent {
  const template = TEMPLATES[notification.kind] as (n: Notification) => MailContent;
  return template(notification);
}

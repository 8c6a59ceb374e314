import type { ClaimResult, NotificationClaim, NotificationLedger, NotificationMailer, OutgoingNotificationMail } from '#lib/domain/notifications/ports';
import type { NotifierDeps } from '#lib/domain/notifications/send';
import type { Notification, NotificationKind } from '#lib/domain/notifications/kinds';

export class MemoryMailer implements NotificationMailer {
  readonly sent: OutgoingNotificationMail[] = [];
  failNext = 0;
  send(mail: OutgoingNotificationMail): Promise<string> {
    if (this.failNext > 0) {
      this.failNext -= 1;
      return Promise.reject(Object.assign(new Error('SES is down'), { name: 'ThrottlingException' }));
    }
    this.sent.push(mail);
    return Promise.resolve(`msg-${this.sent.length}`);
  }
}

/** The ledger's rules (domain/notifications/ports.ts) over a Map, lease times compared as ISO strings like DynamoDB does. */
export class MemoryLedger implements NotificationLedger {
  readonly items = new Map<string, { leaseUntil?: string; sentAt?: string; uncertain?: boolean; claim: NotificationClaim }>();
  /** Fault injection: the next markSent fails (the process dies after SES accepted the mail). */
  crashBeforeMarkSent = 0;
  claim(claim: NotificationClaim): Promise<ClaimResult> {
    const item = this.items.get(claim.notificationId);
    if (item?.sentAt) return Promise.resolve('sent');
    if (item?.leaseUntil && item.leaseUntil >= claim.now) return Promise.resolve('busy');
    this.items.set(claim.notificationId, { claim, leaseUntil: claim.leaseUntil });
    return Promise.resolve(item?.leaseUntil ? 'reclaimed' : 'claimed');
  }
  markUncertain(id: string, at: string): Promise<void> {
    const item = this.items.get(id)!;
    if (!item.sentAt) this.items.set(id, { claim: item.claim, sentAt: at, uncertain: true });
    return Promise.resolve();
  }
  markSent(id: string, at: string): Promise<void> {
    if (this.crashBeforeMarkSent > 0) {
      this.crashBeforeMarkSent -= 1;
      return Promise.reject(new Error('the process died before recording the mail'));
    }
    const item = this.items.get(id)!;
    this.items.set(id, { claim: item.claim, sentAt: at });
    return Promise.resolve();
  }
  release(id: string): Promise<void> {
    const item = this.items.get(id);
    if (item && !item.sentAt) this.items.set(id, { claim: item.claim });
    return Promise.resolve();
  }
}

export function notifierFakes(switchedOff: NotificationKind[] = []): { deps: NotifierDeps; mailer: MemoryMailer; ledger: MemoryLedger } {
  const mailer = new MemoryMailer();
  const ledger = new MemoryLedger();
  return {
    mailer,
    ledger,
    deps: { mailer, ledger, operatorEmail: 'it-ops@example.com', switchedOff: new Set(switchedOff), clock: { now: () => new Date('2026-03-02T09:00:00Z') } },
  };
}

const person = {
  employeeId: 'E-1001',
  displayName: 'Alex Newstarter',
  email: 'alex.newstarter@example.com',
  managerEmail: 'pat.manager@example.com',
};
const requester = 'sam.requester@example.com';
const approver = 'olivia.owner@example.com';

/**
 * One sample per kind, with the recipients it must reach and the facts its mail must carry.
 * The per-kind tests (unit and on the SES emulator) iterate over this table.
 */
export const SAMPLES: { notification: Notification; to: string[]; subject: RegExp; facts: string[] }[] = [
  {
    notification: { kind: 'access-ready', person, requestId: 'dlv-0001', role: 'sales', startDate: '2026-03-09', granted: [{ id: 'group:AllStaff', description: 'Everyone' }, { id: 'workstation:gpu' }], workstation: 'i-0123456789abcdef0', accessEnds: '2026-09-30T23:59:59Z' },
    to: [person.email, person.managerEmail, 'it-ops@example.com'],
    subject: /^Access ready for Alex Newstarter \(E-1001\)$/,
    facts: ['Role: sales', 'Start date: 2026-03-09', 'Workstation: i-0123456789abcdef0', 'Access ends: 2026-09-30 23:59 UTC', '  - group:AllStaff: Everyone', '  - workstation:gpu'],
  },
  {
    notification: { kind: 'access-moved', person, requestId: 'dlv-0002', fromRole: 'sales', toRole: 'engineer', granted: [{ id: 'group:Engineering' }], removed: [{ id: 'group:Sales', description: 'Sales team' }], retiredWorkstation: 'workstation:standard' },
    to: [person.email, person.managerEmail],
    subject: /^Access changed for Alex Newstarter \(E-1001\): sales to engineer$/,
    facts: ['Old role: sales', 'New role: engineer', 'Granted:', '  - group:Engineering', 'Removed:', '  - group:Sales: Sales team', "  - workstation:standard: the old role's workstation, terminated"],
  },
  {
    notification: {
      kind: 'approval-needed', person, requestId: 'dlv-0003', approverEmail: approver, what: 'Platform Engineer', kindWords: 'new joiner access',
      rows: [['Who', 'Alex Newstarter (E-1001)'], ['Link expires', '2026-03-05 09:00 UTC']], entitlements: [{ id: 'group:ProdAdmin', risk: 'high', description: 'Production admin' }], link: 'http://127.0.0.1:4700/approvals/apv-1',
    },
    to: [approver],
    subject: /^Approval needed: Platform Engineer for Alex Newstarter$/,
    facts: ['Who: Alex Newstarter (E-1001)', 'Link expires: 2026-03-05 09:00 UTC', '  - group:ProdAdmin (high risk): Production admin', 'Review and approve or deny: http://127.0.0.1:4700/approvals/apv-1'],
  },
  {
    notification: { kind: 'approved', person, requestId: 'tb-0004', requesterEmail: requester, approverEmail: approver, what: 'time-bound group:ProdAdmin', comment: 'OK for INC-4242, 2h only' },
    to: [requester, person.managerEmail],
    subject: /^Approved: time-bound group:ProdAdmin for Alex Newstarter$/,
    facts: [`Approved by: ${approver}`, 'Comment: OK for INC-4242, 2h only'],
  },
  {
    notification: { kind: 'denied', person, requestId: 'dlv-0005', approverEmail: approver, what: 'Platform Engineer', reason: 'not in this team' },
    to: [person.managerEmail, 'it-ops@example.com'],
    subject: /^Denied: Platform Engineer for Alex Newstarter$/,
    facts: [`Denied by: ${approver}`, 'Reason: not in this team', 'Nothing was provisioned'],
  },
  {
    notification: { kind: 'approval-expired', person, requestId: 'tb-0006', requesterEmail: requester, what: 'time-bound group:ProdAdmin', expiredAt: '2026-03-05T09:00:00Z' },
    to: [requester, person.managerEmail, 'it-ops@example.com'],
    subject: /^Not decided in time: time-bound group:ProdAdmin for Alex Newstarter$/,
    facts: ['Expired: 2026-03-05 09:00 UTC', 'nothing was provisioned'],
  },
  {
    notification: { kind: 'cancelled', person, requestId: 'dlv-0007', approverEmails: [approver, 'pat.manager@example.com'], what: 'Platform Engineer', reason: 'Alex Newstarter left the company (leave dlv-0099)' },
    to: [approver, person.managerEmail],
    subject: /^No decision needed any more: Platform Engineer for Alex Newstarter$/,
    facts: ['Why: Alex Newstarter left the company (leave dlv-0099)', 'no longer works'],
  },
  {
    notification: { kind: 'time-bound-granted', person, requestId: 'tb-0008', requesterEmail: requester, granted: [{ id: 'group:ProdAdmin' }], endsAt: '2026-03-02T11:00:00Z' },
    to: [person.email, requester],
    subject: /^Time-bound access granted to Alex Newstarter \(E-1001\) until 2026-03-02 11:00 UTC$/,
    facts: ['Access ends: 2026-03-02 11:00 UTC', '  - group:ProdAdmin'],
  },
  {
    notification: { kind: 'access-ending-soon', person, requestId: 'tb-0009', granted: [{ id: 'group:ProdAdmin' }], endsAt: '2026-03-02T11:00:00Z' },
    to: [person.email],
    subject: /^Time-bound access of Alex Newstarter \(E-1001\) ends at 2026-03-02 11:00 UTC$/,
    facts: ['Access ends: 2026-03-02 11:00 UTC', 'Ending:', '  - group:ProdAdmin'],
  },
  {
    notification: {
      kind: 'access-extended',
      person,
      requestId: 'ex-0009',
      requesterEmail: requester,
      granted: [{ id: 'group:ProdAdmin' }],
      previousEnd: '2026-03-02T11:00:00Z',
      endsAt: '2026-03-02T13:00:00Z',
      approvedBy: [approver],
      reason: 'INC-4242 still open',
    },
    to: [person.email, requester],
    subject: /^Time-bound access of Alex Newstarter \(E-1001\) extended until 2026-03-02 13:00 UTC$/,
    facts: ['Access ends: 2026-03-02 13:00 UTC', 'Was to end: 2026-03-02 11:00 UTC', `Approved by: ${approver}`, 'Reason: INC-4242 still open', '  - group:ProdAdmin'],
  },
  {
    notification: { kind: 'access-revoked', person, requestId: 'tb-0010', requesterEmail: requester, removed: [{ id: 'group:ProdAdmin' }], revokedBy: 'Oscar Operator (E-0001)', reason: 'incident closed' },
    to: [person.email, requester, person.managerEmail],
    subject: /^Access revoked for Alex Newstarter \(E-1001\)$/,
    facts: ['Revoked by: Oscar Operator (E-0001)', 'Reason: incident closed', '  - group:ProdAdmin'],
  },
  {
    notification: { kind: 'access-expired', person, requestId: 'tb-0011', removed: [{ id: 'group:ProdAdmin' }] },
    to: [person.email],
    subject: /^Time-bound access of Alex Newstarter \(E-1001\) has ended$/,
    facts: ['Removed:', '  - group:ProdAdmin'],
  },
  {
    notification: { kind: 'workflow-failed', person, requestId: 'dlv-0012', workflow: 'joiner', step: 'Create Identity Center User', error: 'ThrottlingException', cause: 'Rate exceeded', undone: true },
    to: ['it-ops@example.com'],
    subject: /^Failed: joiner for Alex Newstarter at Create Identity Center User$/,
    facts: ['Failed step: Create Identity Center User', 'Error: ThrottlingException: Rate exceeded', 'What was undone: what this request had created was removed again', 'status dlv-0012'],
  },
  {
    notification: { kind: 'leaver-done', person, requestId: 'dlv-0013', removed: [{ id: 'group:AllStaff' }, { id: 'workstation:gpu' }], userDeleted: true, workstationsRetired: 1 },
    to: [person.managerEmail, 'it-ops@example.com'],
    subject: /^Leaver done: Alex Newstarter \(E-1001\)$/,
    facts: ['Identity Center user: deleted', 'Workstations retired: 1', '  - group:AllStaff', '  - workstation:gpu'],
  },
  {
    notification: { kind: 'identity-conflict', person, requestId: 'dlv-0014', email: person.email, detail: 'user 9067-aaaa is linked to E-0999' },
    to: ['it-ops@example.com'],
    subject: /^Identity conflict: Alex Newstarter \(E-1001\) was not provisioned$/,
    facts: [`E-mail: ${person.email}`, 'Detail: user 9067-aaaa is linked to E-0999', 'never merges people'],
  },
  {
    notification: {
      kind: 'break-glass-used',
      person,
      requestId: 'ar-0015',
      ownerEmails: ['platform-owners@example.com', 'IT-OPS@example.com'],
      granted: [{ id: 'account-assignment:ProdAdministrator', description: 'AdministratorAccess on production' }],
      reason: 'production is down, paging on-call',
      endsAt: '2026-12-04T18:30:00.000Z',
      reviewId: 'break-glass-ar-0015',
    },
    // The operators first; an owner mailbox that is the operators' is mailed once.
    to: ['it-ops@example.com', 'platform-owners@example.com'],
    subject: /^BREAK-GLASS: Alex Newstarter \(E-1001\) took account-assignment:ProdAdministrator without approval$/,
    facts: ['Reason given: production is down, paging on-call', 'Review: break-glass-ar-0015', 'account-assignment:ProdAdministrator: AdministratorAccess on production', 'without approval'],
  },
];

import { chainEntry } from '#lib/domain/audit/chain';
import type { AuditDraft, AuditEntry } from '#lib/domain/audit/entry';

/** A valid draft of each kind; `overrides` replace top-level fields. */
export const drafts = {
  requestReceived: (subject = 'E1001'): AuditDraft => ({
    kind: 'request.received',
    subject,
    actor: { type: 'hris', id: 'bamboohr' },
    requestId: 'req-1',
    executionId: 'joiner-dlv-1',
    reason: 'hire received from HRIS',
    detail: { requestType: 'joiner', deliveryId: 'dlv-1', role: 'backend-engineer', effectiveAt: '2025-03-03T08:00:00.000Z' },
  }),
  policyDecided: (subject = 'E1001'): AuditDraft => ({
    kind: 'policy.decided',
    subject,
    actor: { type: 'system', id: 'decide-policy' },
    requestId: 'req-1',
    executionId: 'joiner-dlv-1',
    reason: 'production access needs the manager',
    detail: { outcome: 'approval-required', policyRule: 'prod-needs-manager', risk: 'high', entitlementIds: ['aws-prod-readonly'], approverIds: ['alice@example.com'] },
  }),
  approvalApproved: (subject = 'E1001'): AuditDraft => ({
    kind: 'approval.approved',
    subject,
    actor: { type: 'approver', id: 'alice@example.com' },
    entitlementId: 'aws-prod-readonly',
    requestId: 'req-1',
    executionId: 'joiner-dlv-1',
    reason: 'approved by link',
    detail: { approvalId: 'apv-9f2c' },
  }),
  grantApplied: (subject = 'E1001', entitlementId = 'aws-prod-readonly'): AuditDraft => ({
    kind: 'grant.applied',
    subject,
    actor: { type: 'system', id: 'provision-identity' },
    entitlementId,
    requestId: 'req-1',
    executionId: 'joiner-dlv-1',
    reason: 'role grants it',
    detail: { basis: 'role', role: 'backend-engineer', resourceId: 'membership-123' },
  }),
  provisioningFailed: (subject = 'E1001'): AuditDraft => ({
    kind: 'provisioning.failed',
    subject,
    actor: { type: 'system', id: 'provision-workstation' },
    requestId: 'req-1',
    executionId: 'joiner-dlv-1',
    reason: 'instance launch failed',
    detail: { step: 'Launch Workstation', error: 'InsufficientInstanceCapacity', retryable: true, attempts: 3 },
  }),
};

export const allDrafts = (subject = 'E1001'): AuditDraft[] => [
  drafts.requestReceived(subject),
  drafts.policyDecided(subject),
  drafts.approvalApproved(subject),
  drafts.grantApplied(subject),
  drafts.provisioningFailed(subject),
];

/** Chains the drafts in order, one second apart from `start`. */
export function buildChain(list: readonly AuditDraft[], start = Date.parse('2025-03-03T08:00:00.000Z')): AuditEntry[] {
  const chain: AuditEntry[] = [];
  list.forEach((draft, index) => {
    chain.push(chainEntry(chain.at(-1), { ...draft, at: new Date(start + index * 1000).toISOString() }));
  });
  return chain;
}

import type { AuditDraft } from '../audit/entry.ts';
import { maxRisk } from '../catalogue/resolve.ts';
import type { Entitlement } from '../catalogue/schema.ts';
import { clip } from '../shared/ids.ts';
import { stepEmails, type PolicyDecision } from '../policy/schema.ts';
import type { RequestRecord } from './request-record.ts';

/**
 * The two audit entries every prepare step writes for a request (joiner, mover, time-bound
 * access): `request.received` (who asked for what) and `policy.decided` (what the policy said).
 * The idempotency keys hang off the execution name, so a retried step writes each once.
 */

export interface RequestIds {
  requestId: string;
  executionId: string;
  executionName: string;
}

type ReceivedDraft = Extract<AuditDraft, { kind: 'request.received' }>;

export function requestReceivedDraft(
  ids: RequestIds,
  facts: { subject: string; actor: ReceivedDraft['actor']; reason: string; detail: ReceivedDraft['detail'] },
): AuditDraft {
  return {
    kind: 'request.received',
    subject: facts.subject,
    actor: facts.actor,
    requestId: ids.requestId,
    executionId: ids.executionId,
    reason: clip(facts.reason),
    idempotencyKey: `${ids.executionName}/request.received`,
    detail: facts.detail,
  };
}

export interface DecisionFacts {
  subject: string;
  requestType: RequestRecord['kind'];
  decision: PolicyDecision;
  /** What the decision covers (for a mover: what the new role adds). */
  entitlements: readonly Entitlement[];
  /** Defaults to the decision's own reason. */
  reason?: string;
  /** Defaults to `<requestType>-low-risk-auto-approved` / `<requestType>-high-risk-needs-approval`. */
  policyRule?: string;
}

export function policyDecidedDraft(ids: RequestIds, facts: DecisionFacts): AuditDraft {
  const { decision, entitlements, requestType } = facts;
  const auto = decision.decision === 'auto-approved';
  return {
    kind: 'policy.decided',
    subject: facts.subject,
    actor: { type: 'system', id: 'policy' },
    requestId: ids.requestId,
    executionId: ids.executionId,
    reason: clip(facts.reason ?? decision.reason),
    idempotencyKey: `${ids.executionName}/policy.decided`,
    detail: {
      outcome: auto ? 'auto-approved' : 'approval-required',
      policyRule: facts.policyRule ?? (auto ? `${requestType}-low-risk-auto-approved` : `${requestType}-high-risk-needs-approval`),
      risk: maxRisk(entitlements),
      entitlementIds: entitlements.map((entitlement) => entitlement.id).slice(0, 100),
      ...(decision.decision === 'needs-approval' ? { approverIds: decision.chain.flatMap(stepEmails).slice(0, 10) } : {}),
    },
  };
}

/** The decision as the request record holds it. */
export function recordDecidedDraft(record: RequestRecord): AuditDraft {
  return policyDecidedDraft(record, { subject: record.employeeId, requestType: record.kind, decision: record.decision, entitlements: record.entitlements });
}

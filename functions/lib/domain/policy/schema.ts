import { z } from 'zod';
import { employeeIdSchema, employeeSchema } from '#lib/domain/events/employee-events';
import { entitlementSchema } from '#lib/domain/catalogue/schema';
import { durationSchema } from '#lib/domain/catalogue/duration';

/** Who asked for a just-in-time grant (the subject, their manager, or a colleague). */
export const requesterSchema = z.object({
  employeeId: employeeIdSchema,
  email: z.email().max(254),
});
export type Requester = z.infer<typeof requesterSchema>;

const granting = {
  /** The employee who would receive the access. */
  subject: employeeSchema,
  /** What would be granted (for a mover: only what the new role adds). */
  entitlements: z.array(entitlementSchema),
};

export const policyRequestSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('joiner'), ...granting }),
  z.object({ kind: z.literal('mover'), ...granting }),
  z.object({
    kind: z.literal('time-bound'),
    ...granting,
    entitlements: granting.entitlements.min(1),
    requester: requesterSchema,
    duration: durationSchema,
    /** An emergency self-request of entitlements marked break-glass: no approval, within their break-glass maximum. */
    breakGlass: z.literal(true).optional(),
  }),
]);
export type PolicyRequest = z.infer<typeof policyRequestSchema>;
export type RequestKind = PolicyRequest['kind'];

export const approverSchema = z.object({
  /** `manager`: the subject's manager; `entitlement-owner`: an owner group of high-risk entitlements. */
  kind: z.enum(['manager', 'entitlement-owner']),
  email: z.email(),
  /** The manager's HRIS id, when known. */
  employeeId: employeeIdSchema.optional(),
  /** The high-risk entitlements this approver answers for as owner (empty for a manager who owns none). */
  entitlementIds: z.array(z.string()),
});
export type Approver = z.infer<typeof approverSchema>;

/**
 * An N-of-M step of the chain (domain/policy/quorum.ts): each of `approvers` (lower case, neither the
 * subject nor the requester) is asked at once; the step is approved once `required` distinct ones approved.
 */
export const quorumChainStepSchema = z.object({
  kind: z.literal('quorum'),
  approvers: z.array(z.email()).min(1).max(10),
  required: z.int().min(1),
  /** The entitlements whose approval policy this quorum is. */
  entitlementIds: z.array(z.string()).min(1),
});
export type QuorumChainStep = z.infer<typeof quorumChainStepSchema>;

/** One step of an approval chain: one approver, or a quorum of several. */
export const chainStepSchema = z.union([approverSchema, quorumChainStepSchema]);
export type ChainStep = z.infer<typeof chainStepSchema>;

/** Every mailbox a step asks. */
export const stepEmails = (step: ChainStep): string[] => (step.kind === 'quorum' ? step.approvers : [step.email]);

export const policyDecisionSchema = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('auto-approved'), reason: z.string() }),
  z.object({ decision: z.literal('needs-approval'), reason: z.string(), chain: z.array(chainStepSchema).min(1) }),
]);
export type PolicyDecision = z.infer<typeof policyDecisionSchema>;

import { z } from 'zod';
import { decideAsSignedIn, type ApprovalPageDeps } from '../approvals/approval-page.ts';
import { approvalState, type Approval } from '../approvals/approval.ts';
import { ApprovalClosedError, ApprovalExpiredError, ApprovalNotFoundError, ApproverMismatchError } from '../approvals/errors.ts';
import { ValidationError } from '../shared/errors.ts';
import { approvalOutcomeMessage, closedOutcome, APPROVE_ACTION, DENY_ACTION, REASON_ACTION, REASON_BLOCK, type SlackOutcome } from './approval-message.ts';
import type { SlackApi } from './ports.ts';
import { verifySlackSignature, type SignedSlackRequest } from './signature.ts';

/**
 * POST /slack/interactions: an Approve or Deny click on an approval message. In order:
 * Slack's signature (else 401, nothing read), the payload, the clicker's identity (the e-mail
 * on their Slack profile, users.info, must be the approver's), then the approval page's own
 * decision path (`decideAsSignedIn`): once only, before expiry, audited, resuming the
 * execution. The message is then rewritten with the outcome. A refused click changes nothing
 * and tells only the clicker why (chat.postEphemeral).
 */

export interface SlackInteractionDeps {
  approvalDeps: ApprovalPageDeps;
  slack: SlackApi;
  signingSecret(): Promise<string>;
}

const payloadSchema = z.looseObject({
  type: z.literal('block_actions'),
  user: z.looseObject({ id: z.string().min(1) }),
  container: z.looseObject({ channel_id: z.string().min(1), message_ts: z.string().min(1) }),
  actions: z.array(z.looseObject({ action_id: z.string(), value: z.string().optional() })).min(1),
  state: z
    .looseObject({ values: z.record(z.string(), z.record(z.string(), z.looseObject({ value: z.string().nullish() }))) })
    .optional(),
});
type Payload = z.infer<typeof payloadSchema>;

export type InteractionResult =
  | { outcome: 'decided'; decision: 'approved' | 'denied'; approval: Approval }
  | { outcome: 'refused'; why: 'not-the-approver' | 'no-email' | 'closed' | 'expired' | 'not-found' | 'reason-required' | 'ignored' };

/** Slack posts `application/x-www-form-urlencoded` with one field, `payload` (JSON). */
export function parseInteraction(rawBody: string): Payload {
  const payload = new URLSearchParams(rawBody).get('payload');
  if (!payload) throw new ValidationError('payload: missing (Slack sends payload=<json>)');
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch (error) {
    throw new ValidationError('payload: not JSON', { cause: error });
  }
  const parsed = payloadSchema.safeParse(json);
  if (!parsed.success) throw new ValidationError(`payload: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

const reasonOf = (payload: Payload): string | undefined => payload.state?.values[REASON_BLOCK]?.[REASON_ACTION]?.value?.trim() || undefined;

export async function handleSlackInteraction(deps: SlackInteractionDeps, request: SignedSlackRequest): Promise<InteractionResult> {
  verifySlackSignature(request, await deps.signingSecret(), deps.approvalDeps.clock);
  const payload = parseInteraction(request.rawBody);
  const action = payload.actions.find((a) => a.action_id === APPROVE_ACTION || a.action_id === DENY_ACTION);
  if (!action?.value) return { outcome: 'refused', why: 'ignored' };
  const decision = action.action_id === APPROVE_ACTION ? 'approve' : 'deny';
  const clicker = payload.user.id;
  const { channel_id: channel, message_ts: ts } = payload.container;
  const tell = (text: string) => deps.slack.postEphemeral({ channel, user: clicker, text });

  const email = await deps.slack.emailOfUser(clicker);
  if (!email) {
    await tell('Your Slack profile shows no e-mail address, so Gatehouse cannot tell that you are the approver. Nothing was decided; use the e-mailed link.');
    return { outcome: 'refused', why: 'no-email' };
  }
  const comment = reasonOf(payload);
  if (decision === 'deny' && !comment) {
    await tell('Please write why you deny in the comment box, then press Deny again. Nothing was decided.');
    return { outcome: 'refused', why: 'reason-required' };
  }
  try {
    const result = await decideAsSignedIn(deps.approvalDeps, { approvalId: action.value, email, decision, ...(comment ? { comment } : {}) }, 'in Slack');
    const approval = result.approval;
    await rewrite(deps, approval, { kind: approval.status as 'approved' | 'denied', by: approval.decidedBy ?? email, at: approval.decidedAt ?? '', comment: approval.comment }, channel, ts);
    return { outcome: 'decided', decision: approval.status as 'approved' | 'denied', approval };
  } catch (error) {
    if (error instanceof ApproverMismatchError) {
      await tell('This approval was sent to someone else; only they can decide it. Nothing was decided.');
      return { outcome: 'refused', why: 'not-the-approver' };
    }
    if (error instanceof ApprovalNotFoundError) {
      await tell('This approval no longer exists. Nothing was decided.');
      return { outcome: 'refused', why: 'not-found' };
    }
    if (error instanceof ApprovalExpiredError || error instanceof ApprovalClosedError) {
      await showCurrentState(deps, action.value, channel, ts);
      await tell(`${error.message}. Nothing was changed.`);
      return { outcome: 'refused', why: error instanceof ApprovalExpiredError ? 'expired' : 'closed' };
    }
    throw error;
  }
}

async function rewrite(deps: SlackInteractionDeps, approval: Approval, outcome: SlackOutcome, channel: string, ts: string): Promise<void> {
  const request = await deps.approvalDeps.requests.get(approval.requestId);
  if (!request) return;
  await deps.slack.updateMessage(approvalOutcomeMessage(approval, request, outcome, channel, ts));
}

/** A click on a closed approval: the message shows what did happen, without buttons. */
async function showCurrentState(deps: SlackInteractionDeps, approvalId: string, channel: string, ts: string): Promise<void> {
  const approval = await deps.approvalDeps.approvals.get(approvalId);
  if (!approval) return;
  const state = approvalState(approval, deps.approvalDeps.clock.now());
  const outcome: SlackOutcome | undefined =
    state.kind === 'decided'
      ? { kind: state.decision, by: approval.decidedBy ?? 'the approver', at: approval.decidedAt ?? approval.createdAt, comment: approval.comment }
      : state.kind === 'open'
        ? undefined
        : closedOutcome(approval, state.kind);
  if (outcome) await rewrite(deps, approval, outcome, channel, ts);
}

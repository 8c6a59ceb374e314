import { randomBytes } from 'node:crypto';
import type { AuditStore } from '../audit/ports.ts';
import { TransientError, ValidationError } from '../shared/errors.ts';
import type { RequestRepository } from '../requests/ports.ts';
import type { RequestRecord } from '../requests/request-record.ts';
import {
  approvalRef,
  approvalState,
  newApprovalId,
  newCsrfSecret,
  normaliseEmail,
  slotKey,
  tokenHash,
  TTL_GRACE_SECONDS,
  type Approval,
  type ApprovalQuorum,
  type ApprovalSlot,
} from './approval.ts';
import type { Approver } from '../policy/schema.ts';
import type { ApprovalRequestInput } from '../../tasks/approval-request.ts';
import type { Clock } from '../shared/clock.ts';
import { composeApprovalEmail } from './approval-email.ts';
import type { ApprovalRepository } from './ports.ts';
import { RequestRecordMissingError } from './errors.ts';
import type { Mailer } from './ports.ts';

/**
 * "Ask Approver": bind the waiting task's token to an approval and e-mail its link, once.
 *
 * Idempotency. Each (execution, step, approver) has one slot item naming the approval that
 * currently answers for it and the token that approval is bound to:
 * - same token again (a Lambda-level retry): nothing new; the e-mail is sent only if no
 *   earlier attempt finished sending it.
 * - a new token (a Step Functions Retry or a re-driven execution mints one per attempt) and
 *   the approval is still pending and unexpired: the approval is re-bound to the new token
 *   (conditional on the old token, in one transaction with the slot). Same id, so the link
 *   already mailed keeps working; its expiry moves to the new task's deadline; no new mail.
 * - a new token and the approval is decided, cancelled or expired: a fresh approval (new id,
 *   new secret) replaces it in the slot, a still-pending one is marked `superseded` (its page
 *   says so), and the fresh link is mailed.
 * The mail itself is sent under a short lease (conditional update) and recorded as sent
 * afterwards, so concurrent attempts never both send; a crash between SES accepting the mail
 * and recording it is the one window in which a retry mails the same link twice.
 */

export interface RequestApprovalDeps {
  approvals: ApprovalRepository;
  requests: Pick<RequestRepository, 'get'>;
  mailer: Mailer;
  /** The audit store when the stack has one; approval.requested is appended to it. */
  audit?: Pick<AuditStore, 'append'>;
  clock: Clock;
  /** `APPROVAL_BASE_URL`: links are `${baseUrl}/approvals/{id}`. */
  baseUrl: string;
  random?: (size: number) => Buffer;
  mailLeaseSeconds?: number;
  /** When Slack is configured: the approval also goes to the approver's Slack DM (domain/slack/request-in-slack.ts). */
  slack?: ApprovalInSlack;
}

/** Posts the Slack copy of an approval request, at most once per approval. */
export type ApprovalInSlack = (approval: Approval, request: RequestRecord) => Promise<RequestApprovalResult['slack']>;

/** One approver's part of an N-of-M step (or of a one-approver step, without `quorum`). */
interface PersonAsk extends Omit<ApprovalRequestInput, 'approval'> {
  approval: Omit<ApprovalRequestInput['approval'], 'approver'> & { approver: Approver; quorum?: ApprovalQuorum };
}

/** An N-of-M step: each approver is asked as a step of one; the result lists each (refs only). */
export interface QuorumRequestResult {
  quorum: { required: number; asked: RequestApprovalResult[] };
}

export interface RequestApprovalResult {
  /** Safe to log and return: not the link. */
  approvalRef: string;
  binding: 'created' | 'unchanged' | 'rebound' | 'replaced';
  mail: 'sent' | 'already-sent' | 'not-needed';
  /** The Slack copy: absent when Slack is not configured. */
  slack?: 'sent' | 'already-sent' | 'not-needed' | 'no-slack-user';
}

const MAX_ATTEMPTS = 5;

export async function requestApproval(deps: RequestApprovalDeps, input: ApprovalRequestInput): Promise<RequestApprovalResult | QuorumRequestResult> {
  const ask = input.approval;
  const request = await deps.requests.get(ask.requestId);
  if (!request) throw new RequestRecordMissingError(`requestId: no request record ${ask.requestId}`);
  if (request.employeeId !== ask.employeeId) {
    throw new ValidationError(`employeeId: ${ask.employeeId} is not the subject of request ${ask.requestId}`);
  }
  const step = ask.approver;
  if (step.kind !== 'quorum') return askOne(deps, { ...input, approval: { ...ask, approver: step } }, request);
  // N of M: every approver at once, each with their own link and slot, all bound to this one task token (quorum-votes.ts).
  const quorum = { required: step.required, approvers: step.approvers };
  const asked: RequestApprovalResult[] = [];
  for (const email of step.approvers) {
    const approver: Approver = { kind: 'entitlement-owner', email, entitlementIds: step.entitlementIds };
    asked.push(await askOne(deps, { ...input, approval: { ...ask, approver, quorum } }, request));
  }
  return { quorum: { required: step.required, asked } };
}

async function askOne(deps: RequestApprovalDeps, input: PersonAsk, request: RequestRecord): Promise<RequestApprovalResult> {
  const { approval, binding } = await bind(deps, input);
  // Audited before the link leaves: an approver who clicks at once must find approval.requested
  // already in the person's chain, before the approval.approved the click appends.
  if (approval.status === 'pending') await auditRequested(deps, approval);
  const mail = await ensureMailed(deps, approval, request);
  const slack = deps.slack ? await deps.slack(approval, request) : undefined;
  return { approvalRef: approval.ref, binding, mail, ...(slack ? { slack } : {}) };
}

async function bind(deps: RequestApprovalDeps, input: PersonAsk): Promise<{ approval: Approval; binding: RequestApprovalResult['binding'] }> {
  const ask = input.approval;
  const key = slotKey(ask.executionId, ask.requestId, ask.step, ask.approver.email);
  const hash = tokenHash(input.taskToken);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    const now = deps.clock.now();
    const slot = await deps.approvals.getSlot(key);
    const current = slot ? await deps.approvals.get(slot.currentApprovalId) : undefined;
    if (slot && current && slot.tokenHash === hash) return { approval: current, binding: 'unchanged' };

    if (slot && current && approvalState(current, now).kind === 'open') {
      const deadline = deadlineOf(now, ask.timeoutSeconds);
      const rebound = await deps.approvals.rebind(current.approvalId, key, slot.tokenHash, { taskToken: input.taskToken, tokenHash: hash, ...deadline, at: now.toISOString() });
      if (rebound) return { approval: { ...current, taskToken: input.taskToken, tokenHash: hash, ...deadline, rebinds: current.rebinds + 1 }, binding: 'rebound' };
      continue;
    }

    const fresh = newApproval(deps, input, now);
    const previous = slot ? { tokenHash: slot.tokenHash, ...(current?.status === 'pending' ? { supersede: current.approvalId } : {}) } : undefined;
    if (await deps.approvals.create(fresh, slotFor(key, fresh, now), previous)) return { approval: fresh, binding: slot ? 'replaced' : 'created' };
  }
  throw new TransientError(`approval slot for step ${ask.step} kept changing under ${MAX_ATTEMPTS} attempts; retry later`);
}

function deadlineOf(now: Date, timeoutSeconds: number) {
  const expiresAtMs = now.getTime() + timeoutSeconds * 1000;
  return { expiresAt: new Date(expiresAtMs).toISOString(), expiresAtEpoch: Math.ceil(expiresAtMs / 1000) + TTL_GRACE_SECONDS };
}

function newApproval(deps: RequestApprovalDeps, input: PersonAsk, now: Date): Approval {
  const ask = input.approval;
  const random = deps.random ?? randomBytes;
  const approvalId = newApprovalId(random);
  return {
    itemType: 'approval',
    approvalId,
    ref: approvalRef(approvalId),
    requestId: ask.requestId,
    employeeId: ask.employeeId,
    executionId: ask.executionId,
    executionName: ask.executionName,
    step: ask.step,
    approver: { ...ask.approver, email: normaliseEmail(ask.approver.email) },
    ...(ask.quorum ? { quorum: ask.quorum } : {}),
    taskToken: input.taskToken,
    tokenHash: tokenHash(input.taskToken),
    csrfSecret: newCsrfSecret(random),
    status: 'pending',
    createdAt: now.toISOString(),
    ...deadlineOf(now, ask.timeoutSeconds),
    rebinds: 0,
  };
}

const slotFor = (key: string, approval: Approval, now: Date): ApprovalSlot => ({
  itemType: 'slot',
  approvalId: key,
  currentApprovalId: approval.approvalId,
  tokenHash: approval.tokenHash,
  expiresAtEpoch: approval.expiresAtEpoch,
  updatedAt: now.toISOString(),
});

async function ensureMailed(deps: RequestApprovalDeps, approval: Approval, request: RequestRecord): Promise<RequestApprovalResult['mail']> {
  if (approval.mailedAt) return 'already-sent';
  if (approval.status !== 'pending') return 'not-needed';
  const now = deps.clock.now();
  const leaseUntil = new Date(now.getTime() + (deps.mailLeaseSeconds ?? 60) * 1000).toISOString();
  if (!(await deps.approvals.claimMail(approval.approvalId, now.toISOString(), leaseUntil))) {
    const latest = await deps.approvals.get(approval.approvalId);
    if (latest?.mailedAt) return 'already-sent';
    if (latest?.status !== 'pending') return 'not-needed';
    throw new TransientError('another attempt is sending this approval e-mail right now; retry later');
  }
  try {
    await deps.mailer.send(composeApprovalEmail(approval, request, deps.baseUrl));
  } catch (error) {
    await deps.approvals.releaseMail(approval.approvalId).catch(() => undefined);
    throw error;
  }
  await deps.approvals.markMailed(approval.approvalId, deps.clock.now().toISOString());
  return 'sent';
}

async function auditRequested(deps: RequestApprovalDeps, approval: Approval): Promise<void> {
  if (!deps.audit) return;
  await deps.audit.append({
    kind: 'approval.requested',
    subject: approval.employeeId,
    actor: { type: 'system', id: 'approval-request' },
    requestId: approval.requestId,
    executionId: approval.executionId,
    reason: approval.quorum
      ? `approval step ${approval.step + 1} asked of one of ${approval.quorum.approvers.length} approvers (any ${approval.quorum.required}) by e-mail`
      : `approval step ${approval.step + 1} asked of the ${approval.approver.kind} by e-mail`,
    idempotencyKey: `approval/${approval.ref}/requested`,
    detail: { approvalId: approval.ref, approverId: approval.approver.email, expiresAt: approval.expiresAt },
  });
}

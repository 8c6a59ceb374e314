import { expect } from 'vitest';
import type { QuorumRequestResult, RequestApprovalResult } from '#lib/domain/approvals/request-approval';
import type { AuditDraft } from '#lib/domain/audit/entry';
import type { Approval, ApprovalSlot } from '#lib/domain/approvals/approval';
import type { ApprovalRequestInput } from '#lib/tasks/approval-request';
import type { ApprovalRepository, Decision, Rebinding, Withdrawal } from '#lib/domain/approvals/ports';
import type { Mail, Mailer } from '#lib/domain/approvals/ports';
import type { CallbackResult, TaskCallbacks } from '#lib/domain/approvals/ports';
import type { RequestRecord } from '#lib/domain/requests/request-record';

/** In-memory stand-ins for the approval ports, with the same conditions the DynamoDB adapter writes. */

export class FakeClock {
  constructor(public current = new Date('2025-03-03T08:00:00.000Z')) {}
  now = (): Date => new Date(this.current);
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export class FakeApprovalRepository implements ApprovalRepository {
  readonly approvals = new Map<string, Approval>();
  readonly slots = new Map<string, ApprovalSlot>();
  writes = 0;

  get(approvalId: string) {
    const found = this.approvals.get(approvalId);
    return Promise.resolve(found ? structuredClone(found) : undefined);
  }

  getSlot(slotKey: string) {
    const found = this.slots.get(slotKey);
    return Promise.resolve(found ? structuredClone(found) : undefined);
  }

  create(approval: Approval, slot: ApprovalSlot, previous?: { tokenHash: string; supersede?: string }) {
    const existing = this.slots.get(slot.approvalId);
    const slotOk = previous ? existing?.tokenHash === previous.tokenHash : existing === undefined;
    const old = previous?.supersede ? this.approvals.get(previous.supersede) : undefined;
    if (this.approvals.has(approval.approvalId) || !slotOk || (previous?.supersede && old?.status !== 'pending')) return Promise.resolve(false);
    this.writes += 1;
    this.approvals.set(approval.approvalId, structuredClone(approval));
    this.slots.set(slot.approvalId, structuredClone(slot));
    if (old) this.approvals.set(old.approvalId, { ...old, status: 'superseded', supersededBy: approval.ref });
    return Promise.resolve(true);
  }

  rebind(approvalId: string, slotKey: string, fromTokenHash: string, to: Rebinding) {
    const slot = this.slots.get(slotKey);
    const approval = this.approvals.get(approvalId);
    const ok =
      slot?.tokenHash === fromTokenHash &&
      slot.currentApprovalId === approvalId &&
      approval?.status === 'pending' &&
      approval.tokenHash === fromTokenHash &&
      approval.expiresAt > to.at;
    if (!ok) return Promise.resolve(false);
    this.writes += 1;
    this.slots.set(slotKey, { ...slot, tokenHash: to.tokenHash, updatedAt: to.at, expiresAtEpoch: to.expiresAtEpoch });
    this.approvals.set(approvalId, {
      ...approval,
      taskToken: to.taskToken,
      tokenHash: to.tokenHash,
      expiresAt: to.expiresAt,
      expiresAtEpoch: to.expiresAtEpoch,
      rebinds: approval.rebinds + 1,
    });
    return Promise.resolve(true);
  }

  claimMail(approvalId: string, now: string, leaseUntil: string) {
    const approval = this.approvals.get(approvalId);
    if (!approval || approval.status !== 'pending' || approval.mailedAt || (approval.mailLeaseUntil && approval.mailLeaseUntil >= now)) {
      return Promise.resolve(false);
    }
    this.approvals.set(approvalId, { ...approval, mailLeaseUntil: leaseUntil });
    return Promise.resolve(true);
  }

  markMailed(approvalId: string, at: string) {
    const approval = this.approvals.get(approvalId);
    if (approval) this.approvals.set(approvalId, { ...approval, mailedAt: at });
    return Promise.resolve();
  }

  releaseMail(approvalId: string) {
    const approval = this.approvals.get(approvalId);
    if (approval && !approval.mailedAt) {
      const released = { ...approval };
      delete released.mailLeaseUntil;
      this.approvals.set(approvalId, released);
    }
    return Promise.resolve();
  }

  claimSlack(approvalId: string, at: string) {
    const approval = this.approvals.get(approvalId);
    if (approval?.status !== 'pending' || approval.slackedAt) return Promise.resolve(false);
    this.approvals.set(approvalId, { ...approval, slackedAt: at });
    return Promise.resolve(true);
  }

  recordSlackMessage(approvalId: string, channel: string, ts: string) {
    const approval = this.approvals.get(approvalId);
    if (approval) this.approvals.set(approvalId, { ...approval, slackChannel: channel, slackTs: ts });
    return Promise.resolve();
  }

  decide(approvalId: string, decision: Decision, now: string) {
    const approval = this.approvals.get(approvalId);
    if (!approval || approval.status !== 'pending' || !(approval.expiresAt > now)) return Promise.resolve(undefined);
    this.writes += 1;
    const updated: Approval = { ...approval, ...decision, delivery: 'pending' };
    this.approvals.set(approvalId, updated);
    return Promise.resolve(structuredClone(updated));
  }

  claimDelivery(approvalId: string, now: string, leaseUntil: string) {
    const approval = this.approvals.get(approvalId);
    const decided = approval?.status === 'approved' || approval?.status === 'denied';
    if (!approval || !decided || approval.delivery !== 'pending' || (approval.deliveryLeaseUntil !== undefined && !(approval.deliveryLeaseUntil < now))) return Promise.resolve(false);
    this.approvals.set(approvalId, { ...approval, deliveryLeaseUntil: leaseUntil });
    return Promise.resolve(true);
  }

  releaseDelivery(approvalId: string) {
    const approval = this.approvals.get(approvalId);
    if (approval?.delivery === 'pending') this.approvals.set(approvalId, { ...approval, deliveryLeaseUntil: new Date(0).toISOString() });
    return Promise.resolve();
  }

  recordDelivery(approvalId: string, delivery: 'delivered' | 'task-gone', at: string) {
    const approval = this.approvals.get(approvalId);
    const allowed = delivery === 'delivered' ? approval?.delivery !== 'delivered' : approval?.delivery === undefined || approval.delivery === 'pending';
    if (approval && (approval.status === 'approved' || approval.status === 'denied') && allowed) {
      this.approvals.set(approvalId, { ...approval, delivery, deliveredAt: at });
    }
    return Promise.resolve();
  }

  cancel(approvalId: string, at: string) {
    const approval = this.approvals.get(approvalId);
    if (approval?.status !== 'pending') return Promise.resolve(undefined);
    const updated: Approval = { ...approval, status: 'cancelled', cancelledAt: at };
    this.approvals.set(approvalId, updated);
    return Promise.resolve(structuredClone(updated));
  }

  withdraw(approvalId: string, withdrawal: Withdrawal) {
    const approval = this.approvals.get(approvalId);
    if (approval?.status !== 'pending' || !(approval.expiresAt > withdrawal.at)) return Promise.resolve(undefined);
    this.writes += 1;
    const reason = withdrawal.reason ? { withdrawReason: withdrawal.reason } : {};
    const updated: Approval = { ...approval, status: 'cancelled', cancelledAt: withdrawal.at, withdrawnBy: withdrawal.by, withdrawnAs: withdrawal.as, ...reason };
    this.approvals.set(approvalId, updated);
    return Promise.resolve(structuredClone(updated));
  }

  /** The only approval, for tests that create one. */
  only(): Approval {
    const all = [...this.approvals.values()];
    if (all.length !== 1) throw new Error(`expected exactly one approval, found ${all.length}`);
    return all[0]!;
  }
}

export class FakeMailer implements Mailer {
  readonly sent: Mail[] = [];
  failNext: Error | undefined;
  send(mail: Mail): Promise<void> {
    if (this.failNext) {
      const error = this.failNext;
      this.failNext = undefined;
      return Promise.reject(error);
    }
    this.sent.push(mail);
    return Promise.resolve();
  }
}

export class FakeCallbacks implements TaskCallbacks {
  readonly calls: { kind: 'succeed' | 'fail'; taskToken: string; output?: unknown; error?: string; cause?: string }[] = [];
  /** Tokens Step Functions still waits on; anything else is task-gone. */
  readonly waiting = new Set<string>();
  failNext: Error | undefined;

  private answer(taskToken: string): Promise<CallbackResult> {
    if (this.failNext) {
      const error = this.failNext;
      this.failNext = undefined;
      return Promise.reject(error);
    }
    if (!this.waiting.delete(taskToken)) return Promise.resolve('task-gone');
    return Promise.resolve('delivered');
  }
  succeed(taskToken: string, output: unknown) {
    this.calls.push({ kind: 'succeed', taskToken, output });
    return this.answer(taskToken);
  }
  fail(taskToken: string, error: string, cause: string) {
    this.calls.push({ kind: 'fail', taskToken, error, cause });
    return this.answer(taskToken);
  }
}

export class FakeAudit {
  readonly drafts: AuditDraft[] = [];
  append(draft: AuditDraft) {
    if (!draft.idempotencyKey || !this.drafts.some((d) => d.idempotencyKey === draft.idempotencyKey)) this.drafts.push(draft);
    // The real store returns the chained entry; the use cases ignore it.
    return Promise.resolve({} as never);
  }
}

export class FakeRequests {
  constructor(readonly records = new Map<string, RequestRecord>()) {}
  get(requestId: string) {
    return Promise.resolve(this.records.get(requestId));
  }
}

// ---- factories -------------------------------------------------------------------------------

export const HOSTILE = '<script>alert("x")</script>';

export function requestRecord(overrides: Partial<RequestRecord> = {}): RequestRecord {
  return {
    requestId: 'req-1',
    kind: 'joiner',
    employeeId: 'E1001',
    employeeDisplayName: 'Ada Lovelace',
    role: 'platform-engineer',
    roleDisplayName: 'Platform Engineer',
    entitlements: [
      {
        id: 'group:ProdAdmin',
        kind: 'group',
        displayName: 'ProdAdmin',
        description: 'Administrator in production accounts',
        risk: 'high',
        ownerGroupEmail: 'prod-owners@example.com',
      },
      {
        id: 'group:Developers',
        kind: 'group',
        displayName: 'Developers',
        description: 'Developer tools',
        risk: 'low',
        ownerGroupEmail: 'dev-owners@example.com',
      },
    ],
    decision: {
      decision: 'needs-approval',
      reason: 'joiner E1001: high-risk entitlements need approval (group:ProdAdmin)',
      chain: [
        { kind: 'manager', email: 'grace@example.com', employeeId: 'E0001', entitlementIds: [] },
        { kind: 'entitlement-owner', email: 'prod-owners@example.com', entitlementIds: ['group:ProdAdmin'] },
      ],
    },
    createdAt: '2025-03-03T07:59:00.000Z',
    executionId: 'arn:aws:states:us-east-1:000000000000:execution:gatehouse-joiner:dlv-1',
    executionName: 'dlv-1',
    ...overrides,
  };
}

let tokens = 0;
/** A task token in the shape the local emulator mints. */
export const newToken = (): string => `GHT1${String((tokens += 1)).padStart(64, 'T')}`;

export function approvalInput(overrides: Partial<ApprovalRequestInput['approval']> = {}, taskToken = newToken()): ApprovalRequestInput {
  return {
    taskToken,
    approval: {
      approver: { kind: 'manager', email: 'Grace@Example.com', employeeId: 'E0001', entitlementIds: [] },
      step: 0,
      requestId: 'req-1',
      employeeId: 'E1001',
      timeoutSeconds: 3600,
      executionId: 'arn:aws:states:us-east-1:000000000000:execution:gatehouse-joiner:dlv-1',
      executionName: 'dlv-1',
      ...overrides,
    },
  };
}

export function harness(record: RequestRecord = requestRecord()) {
  const clock = new FakeClock();
  const approvals = new FakeApprovalRepository();
  const requests = new FakeRequests(new Map([[record.requestId, record]]));
  const mailer = new FakeMailer();
  const callbacks = new FakeCallbacks();
  const audit = new FakeAudit();
  const requestDeps = { approvals, requests, mailer, audit, clock, baseUrl: 'https://gatehouse.example.com/' };
  const pageDeps = { approvals, requests, callbacks, audit, clock };
  return { clock, approvals, requests, mailer, callbacks, audit, requestDeps, pageDeps, record };
}

/** A one-approver step's result (not an N-of-M step's). */
export const one = (result: RequestApprovalResult | QuorumRequestResult): RequestApprovalResult => ('quorum' in result ? expect.unreachable('an N-of-M result') : result);

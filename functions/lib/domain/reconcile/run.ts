import type { AuditStore } from '../audit/ports.ts';
import type { Clock } from '../shared/clock.ts';
import type { Actor, AuditDraft } from '../audit/entry.ts';
import type { Catalogue } from '../catalogue/schema.ts';
import type { IdentityStorePort } from '../provision/ports.ts';
import type { WorkstationPort } from '../provision/ports.ts';
import type { InventoryPort } from './ports.ts';
import type { AssignmentRemover, OperatorMailer, ReviewTagger } from './ports.ts';
import { assignmentResource, findDrift, toAuditDraft, type Finding } from './reconcile.ts';
import { clip } from '../shared/ids.ts';
import { describeAction, planRemoval, type GuardVerdict, type RemovalAction, type RemovalPlan, type RemovalPolicy } from './removal.ts';
import { blockedMail, knownPeople, reportMail, type KnownPeople } from './report-mail.ts';
import type { RunLog } from './ports.ts';
import { RUN_SUBJECT } from './reconcile.ts';

/**
 * The two modes. Report: audit each finding, e-mail operators once per run date (a retried
 * invocation finds its own run entry and sends nothing). Remove: recompute the plan, refuse
 * unless `confirm` is its fingerprint, stop at the mass-deletion guard (audit, alert), else
 * act on every orphan and audit each removal.
 */
export interface ReconcileDeps {
  catalogue: Catalogue;
  inventory: InventoryPort;
  audit: Pick<AuditStore, 'append'>;
  runLog: RunLog;
  mailer: OperatorMailer;
  identity: Pick<IdentityStorePort, 'removeMembership' | 'deleteUser'>;
  workstations: Pick<WorkstationPort, 'stopWorkstation'>;
  review: ReviewTagger;
  /** Remove mode's unexpected account assignments (catalogue permission sets on catalogue accounts). */
  assignments: AssignmentRemover;
  policy: RemovalPolicy;
  clock: Clock;
}

export type PlanSummary = { actions: RemovalAction[]; fingerprint: string; guard: GuardVerdict };

export interface ReportResult {
  mode: 'report';
  runDate: string;
  findings: Finding[];
  plan: PlanSummary;
  mail: 'sent' | 'already-sent';
}

export type RemoveResult =
  | { mode: 'remove'; runDate: string; outcome: 'removed'; fingerprint: string; removed: string[] }
  | { mode: 'remove'; runDate: string; outcome: 'blocked'; fingerprint: string; reason: 'empty-roster' | 'over-share'; message: string; removed: [] }
  | { mode: 'remove'; runDate: string; outcome: 'refused'; fingerprint: string; reason: 'stale-plan'; message: string; removed: [] };

const SYSTEM: Actor = { type: 'system', id: 'reconcile' };

function runDraft(runDate: string, actor: Actor, key: string, detail: Extract<AuditDraft, { kind: 'reconciliation.run' }>['detail'], reason: string): AuditDraft {
  const runId = `reconcile-${detail.mode}-${runDate}`;
  return { kind: 'reconciliation.run', subject: RUN_SUBJECT, actor, requestId: runId, executionId: runId, reason: reason.slice(0, 500), idempotencyKey: key, detail };
}

const guardName = (plan: RemovalPlan): 'passed' | 'empty-roster' | 'over-share' => (plan.guard.outcome === 'passed' ? 'passed' : plan.guard.reason);

export function createReconciliation(deps: ReconcileDeps) {
  async function assess(runDate: string): Promise<{ findings: Finding[]; plan: RemovalPlan; people: KnownPeople }> {
    const [desired, actual] = await Promise.all([deps.inventory.readDesired(), deps.inventory.readActual()]);
    const findings = findDrift(deps.catalogue, desired, actual, deps.clock.now());
    for (const finding of findings) await deps.audit.append(toAuditDraft(finding, runDate));
    return { findings, plan: planRemoval(findings, desired, actual, deps.policy), people: knownPeople(desired.employees, actual.users) };
  }

  async function report(runDate: string): Promise<ReportResult> {
    const { findings, plan, people } = await assess(runDate);
    const key = `${runDate}/report`;
    if (await deps.runLog.find(key, runDate)) return { mode: 'report', runDate, findings, plan, mail: 'already-sent' };
    const messageId = await deps.mailer.send(reportMail(runDate, findings, plan, people));
    const detail = { mode: 'report' as const, outcome: 'reported' as const, findings: findings.length, actions: plan.actions.length, fingerprint: plan.fingerprint, guard: guardName(plan), ...(messageId ? { messageId } : {}) };
    await deps.audit.append(runDraft(runDate, SYSTEM, key, detail, `daily report e-mailed to operators: ${findings.length} finding(s)`));
    return { mode: 'report', runDate, findings, plan, mail: 'sent' };
  }

  async function execute(action: RemovalAction, runDate: string, actor: Actor, runId: string): Promise<string> {
    const common = { actor, requestId: runId, executionId: runId, idempotencyKey: `${runDate}/removed/${describeAction(action).split(' ').slice(0, 2).join('/')}` };
    switch (action.action) {
      case 'delete-user': {
        const outcome = await deps.identity.deleteUser(action.userId);
        const detail = { finding: 'stale-grant' as const, action: 'revoked' as const, resourceId: action.userId };
        await deps.audit.append({ ...common, kind: 'reconciliation.finding', subject: action.employeeId ?? 'unknown', reason: `remove mode deleted orphan user (${action.why}; ${outcome})`, detail });
        break;
      }
      case 'remove-membership': {
        const outcome = await deps.identity.removeMembership(action.membershipId);
        const detail = { finding: 'unexpected-grant' as const, action: 'revoked' as const, resourceId: action.membershipId };
        await deps.audit.append({ ...common, kind: 'reconciliation.finding', subject: action.employeeId, entitlementId: action.entitlementId, reason: `remove mode removed a membership no grant justifies (${outcome})`, detail });
        break;
      }
      case 'remove-assignment': {
        const target = { entitlementId: action.entitlementId, accountId: action.accountId, permissionSet: action.permissionSet };
        const progress = await deps.assignments.remove(action.userId, action.employeeId, target);
        const outcome = progress.state === 'done' ? 'removed' : progress.state === 'failed' ? `not removed: FAILED: ${progress.failure?.reason ?? 'no reason given'}` : 'not removed yet: still IN_PROGRESS at the deadline; the next run finds it again if it stays';
        const detail = { finding: 'unexpected-grant' as const, action: progress.state === 'done' ? ('revoked' as const) : ('flagged' as const), resourceId: assignmentResource(action) };
        await deps.audit.append({ ...common, kind: 'reconciliation.finding', subject: action.employeeId, entitlementId: action.entitlementId, reason: clip(`remove mode deleted an account assignment no grant justifies: ${outcome}`), detail });
        break;
      }
      case 'stop-instance': {
        await deps.review.tagForReview(action.instanceId, runDate);
        const outcome = await deps.workstations.stopWorkstation(action.instanceId);
        const detail = { finding: 'resource-drift' as const, action: 'stopped' as const, resourceId: action.instanceId };
        await deps.audit.append({
          ...common,
          kind: 'reconciliation.finding',
          subject: action.employeeId ?? 'unknown',
          ...(action.entitlementId ? { entitlementId: action.entitlementId } : {}),
          reason: `remove mode tagged the untracked instance gatehouse:review and stopped it (${outcome}); not terminated`,
          detail,
        });
        break;
      }
    }
    return describeAction(action);
  }

  async function remove(runDate: string, confirm: string, requestedBy: string): Promise<RemoveResult> {
    const actor: Actor = { type: 'operator', id: requestedBy };
    const { findings, plan } = await assess(runDate);
    const { fingerprint } = plan;
    const base = { mode: 'remove' as const, findings: findings.length, actions: plan.actions.length, fingerprint, guard: guardName(plan) };
    if (confirm !== fingerprint) {
      const message = `the plan changed since it was reviewed: --confirm ${confirm} but what exists now gives ${fingerprint}; nothing is removed. Run report mode again and review the new plan`;
      await deps.audit.append(runDraft(runDate, actor, `${runDate}/remove/${confirm}/refused`, { ...base, outcome: 'refused' }, message));
      return { mode: 'remove', runDate, outcome: 'refused', fingerprint, reason: 'stale-plan', message, removed: [] };
    }
    if (plan.guard.outcome === 'blocked') {
      const { reason, message } = plan.guard;
      const key = `${runDate}/remove/${fingerprint}/blocked`;
      if (!(await deps.runLog.find(key, runDate))) {
        const messageId = await deps.mailer.send(blockedMail(runDate, { ...plan, guard: plan.guard }));
        await deps.audit.append(runDraft(runDate, actor, key, { ...base, outcome: 'blocked', ...(messageId ? { messageId } : {}) }, `removal blocked: ${message}`));
      }
      return { mode: 'remove', runDate, outcome: 'blocked', fingerprint, reason, message, removed: [] };
    }
    const runId = `reconcile-remove-${runDate}-${fingerprint}`;
    const removed: string[] = [];
    for (const action of plan.actions) removed.push(await execute(action, runDate, actor, runId));
    await deps.audit.append(runDraft(runDate, actor, `${runDate}/remove/${fingerprint}/removed`, { ...base, outcome: 'removed' }, `remove mode executed the confirmed plan: ${removed.length} action(s)`));
    return { mode: 'remove', runDate, outcome: 'removed', fingerprint, removed };
  }

  return { report, remove };
}

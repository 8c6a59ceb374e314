import { html, type Html } from '../shared/html.ts';
import type { Finding, FindingKind } from './reconcile.ts';
import { describeAction, type GuardVerdict, type RemovalPlan } from './removal.ts';
import { textPart } from '../shared/text.ts';

/**
 * The operator e-mails, pure: the daily report (findings by kind with counts and the first
 * items, the guard's verdict, the command that removes exactly this plan) and the alert a
 * blocked removal sends. Each finding names the person as the operator knows them (their work
 * e-mail, which is their Identity Center user name) beside the ids (issue #18): an operator reads
 * who, then acts by id. Nothing else personal (no HR fields) is in the mail.
 */

/** Who an employee id or Identity Store user id is: their work e-mail / user name, from what reconciliation read. */
export interface KnownPeople {
  byEmployee: ReadonlyMap<string, string>;
  byUser: ReadonlyMap<string, string>;
}

const NOBODY: KnownPeople = { byEmployee: new Map(), byUser: new Map() };

/** Everyone the run's desired (employees) and actual (Identity Store users) state names. */
export function knownPeople(employees: readonly { employeeId: string; email: string }[], users: readonly { userId: string; userName: string }[]): KnownPeople {
  return { byEmployee: new Map(employees.map((e) => [e.employeeId, e.email])), byUser: new Map(users.map((u) => [u.userId, u.userName])) };
}

/** `jane@example.com (E-1001)`, or the id alone when nobody by that id was read. */
function who(people: KnownPeople, employeeId: string | undefined, userId?: string): string {
  const name = (employeeId ? people.byEmployee.get(employeeId) : undefined) ?? (userId ? people.byUser.get(userId) : undefined);
  if (!employeeId) return name ? `${name}, no employee` : 'no employee';
  return name ? `${name} (${employeeId})` : employeeId;
}

export interface Mail {
  subject: string;
  text: string;
  html: string;
}

/** How many items of each kind the mail lists; the audit trail has all of them. */
export const LIST_LIMIT = 10;

const KIND_TITLES: Record<FindingKind, string> = {
  'orphan-user': 'Orphan users (people who left, or unknown)',
  'unexpected-membership': 'Memberships no grant justifies',
  'missing-membership': 'Grants without their membership',
  'untracked-instance': 'Managed instances without a workstation grant',
  'untracked-volume': 'Managed volumes without a workstation grant',
  'unexpected-assignment': 'Account assignments no grant justifies',
  'missing-assignment': 'Grants without their account assignment',
};
const KINDS = Object.keys(KIND_TITLES) as FindingKind[];

const WHY: Record<'left' | 'unknown', string> = { left: 'left the company', unknown: 'not a known employee' };

export function describeFinding(finding: Finding, people: KnownPeople = NOBODY): string {
  switch (finding.kind) {
    case 'orphan-user':
      return `user ${finding.userId} (${who(people, finding.employeeId, finding.userId)}, ${WHY[finding.why]})`;
    case 'unexpected-membership':
      return `${who(people, finding.employeeId, finding.userId)} is in ${finding.entitlementId} without a grant (membership ${finding.membershipId})`;
    case 'missing-membership':
      return `${who(people, finding.employeeId, finding.userId)} lacks ${finding.entitlementId}`;
    case 'unexpected-assignment':
      return `${who(people, finding.employeeId, finding.userId)} holds ${finding.permissionSet} on ${finding.accountId} (user ${finding.userId})${finding.entitlementId ? ` as in ${finding.entitlementId}` : ''}`;
    case 'missing-assignment':
      return `${who(people, finding.employeeId, finding.userId)} lacks ${finding.permissionSet} on ${finding.accountId} (${finding.entitlementId})`;
    default:
      return `${finding.resourceId} (${finding.employeeId ? who(people, finding.employeeId) : 'no employee tag'})`;
  }
}

const guardLine = (verdict: GuardVerdict): string =>
  verdict.outcome === 'passed' ? 'Mass-deletion guard: passed (remove mode may run).' : `Mass-deletion guard: BLOCKED (${verdict.reason}): ${verdict.message}.`;

export const removeCommand = (fingerprint: string): string => `npm run gatehouse -- reconcile --remove --confirm ${fingerprint}`;

export function reportMail(runDate: string, findings: readonly Finding[], plan: RemovalPlan, people: KnownPeople = NOBODY): Mail {
  const groups = KINDS.map((kind) => ({ kind, items: findings.filter((finding) => finding.kind === kind) })).filter((group) => group.items.length > 0);
  if (findings.length === 0) {
    const text = `Gatehouse reconciliation ${runDate}: all clear. What exists matches what was granted.\n`;
    return { subject: `Gatehouse reconciliation ${runDate}: all clear`, text, html: html`<p>${text}</p>`.value };
  }
  const lines = [`Gatehouse reconciliation ${runDate}: ${findings.length} finding(s).`, ''];
  for (const { kind, items } of groups) {
    lines.push(`${KIND_TITLES[kind]}: ${items.length}`);
    for (const item of items.slice(0, LIST_LIMIT)) lines.push(`  - ${describeFinding(item, people)}`);
    if (items.length > LIST_LIMIT) lines.push(`  ... and ${items.length - LIST_LIMIT} more (audit trail: reconciliation.finding, ${runDate})`);
  }
  lines.push('', guardLine(plan.guard), '', ...removalLines(plan));
  const text = `${textPart(lines)}\n`;
  const sections: Html[] = groups.map(
    ({ kind, items }) =>
      html`<h2>${KIND_TITLES[kind]}: ${items.length}</h2><ul>${items.slice(0, LIST_LIMIT).map((item) => html`<li>${describeFinding(item, people)}</li>`)}</ul>${
        items.length > LIST_LIMIT ? html`<p>… and ${items.length - LIST_LIMIT} more in the audit trail.</p>` : ''
      }`,
  );
  const body = html`<h1>Gatehouse reconciliation ${runDate}</h1><p>${findings.length} finding(s).</p>${sections}<p><strong>${guardLine(plan.guard)}</strong></p>${removalLines(plan).map(
    (line) => html`<p>${line}</p>`,
  )}`;
  return { subject: `Gatehouse reconciliation ${runDate}: ${findings.length} finding(s)${plan.guard.outcome === 'blocked' ? ', removal blocked' : ''}`, text, html: body.value };
}

function removalLines(plan: RemovalPlan): string[] {
  if (plan.actions.length === 0) return ['Nothing for remove mode to do: the findings above need a person (or a workflow), not a removal.'];
  const listed = plan.actions.slice(0, LIST_LIMIT).map((action) => `  - ${describeAction(action)}`);
  const more = plan.actions.length > LIST_LIMIT ? [`  ... and ${plan.actions.length - LIST_LIMIT} more`] : [];
  const how =
    plan.guard.outcome === 'passed'
      ? `To remove exactly these, run: ${removeCommand(plan.fingerprint)}`
      : `Remove mode will refuse while the guard blocks; fix the cause, then review the next report. Plan fingerprint: ${plan.fingerprint}`;
  return [`Remove mode would act on ${plan.actions.length}:`, ...listed, ...more, how];
}

/** The alert when remove mode was asked for and the guard stopped it. */
export function blockedMail(runDate: string, plan: RemovalPlan & { guard: Extract<GuardVerdict, { outcome: 'blocked' }> }): Mail {
  const text = `Gatehouse reconciliation ${runDate}: a removal of ${plan.actions.length} orphan(s) (plan ${plan.fingerprint}) was BLOCKED and removed nothing.\nReason (${plan.guard.reason}): ${plan.guard.message}.\n`;
  return { subject: `Gatehouse reconciliation ${runDate}: removal BLOCKED (${plan.guard.reason})`, text, html: html`<p>${text}</p>`.value };
}

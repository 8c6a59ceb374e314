import type { GrantItem } from '../grants/item.ts';
import type { Catalogue } from '../catalogue/schema.ts';
import { planFingerprint, planLines, type ConvergenceTotals } from './guard.ts';
import { changes, personChange, revocationsOf, type ConvergenceFinding, type PersonChange } from './person.ts';
import { isRoleSource } from '../grants/source.ts';

/**
 * What a catalogue version does to the whole company, pure: each active person's change
 * (person.ts), the totals the guard weighs, the findings and the plan's fingerprint. The
 * convergence workflow's plan and `gatehouse catalogue impact` both compute it, so the
 * fingerprint an operator reviews with `impact` is the one the run asks to confirm.
 */
export interface CompanyImpact {
  people: PersonChange[];
  totals: ConvergenceTotals;
  findings: ConvergenceFinding[];
  fingerprint: string;
}

export interface PersonRow {
  employee: { employeeId: string; role?: string; status?: string };
  items: readonly GrantItem[];
}

export function companyImpact(catalogue: Catalogue, catalogueVersion: string, rows: Iterable<PersonRow>, at: Date): CompanyImpact {
  const people: PersonChange[] = [];
  const findings: ConvergenceFinding[] = [];
  const totals: ConvergenceTotals = { employees: 0, changing: 0, additions: 0, revocations: 0, activeRoleGrants: 0 };
  for (const { employee, items } of rows) {
    if (employee.status !== 'active') continue;
    totals.employees += 1;
    totals.activeRoleGrants += items.filter((item) => isRoleSource(item.source)).length;
    const change = personChange(catalogue, employee, items, at);
    findings.push(...change.findings);
    if (!changes(change)) continue;
    people.push(change);
    totals.changing += 1;
    totals.additions += change.add.length;
    totals.revocations += revocationsOf(change);
  }
  return { people, totals, findings, fingerprint: planFingerprint(catalogueVersion, planLines(people)) };
}

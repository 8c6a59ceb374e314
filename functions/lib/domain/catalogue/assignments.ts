import { z } from 'zod';
import { ValidationError } from '#lib/domain/shared/errors';
import { employeeSchema } from '#lib/domain/events/employee-events';
import { attributeNameSchema, attributeValue, attributeValueSchema, type EmployeeAttributes } from '#lib/domain/events/attributes';

/**
 * Assignment rules: how HRIS attributes become a role, as Okta group rules or SailPoint
 * role-assignment rules do it. The list is ordered; a rule matches when every attribute in
 * `when` has one of the listed values; the first match wins. A role the HRIS sends
 * explicitly wins over every rule. No match is the catalogue's `unassigned` outcome:
 * `birthright-only` (the person gets the birthright entitlements and no role) or `refuse`.
 */
const ruleIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'a rule id must be 1-64 of a-z 0-9 - (it is recorded in the audit)');

export const assignmentRuleSchema = z.strictObject({
  /** Stable name of the rule, recorded on the request and its audit entry. */
  id: ruleIdSchema,
  when: z
    .record(attributeNameSchema, z.union([attributeValueSchema, z.array(attributeValueSchema).min(1).max(100)]))
    .refine((when) => Object.keys(when).length > 0, 'when must name at least one attribute'),
  role: employeeSchema.shape.role,
});
export type AssignmentRule = z.infer<typeof assignmentRuleSchema>;

export const unassignedSchema = z.enum(['birthright-only', 'refuse']).meta({
  description: "What happens to a person the HRIS sends no role for and no rule matches: 'birthright-only' hires them with the birthright alone (role 'no-role', audited), 'refuse' records the hire or change as rejected (audited) and grants nothing.",
});

/**
 * The role of a person no rule assigns, under `unassigned: birthright-only`: it grants the
 * birthright and nothing else. Not a company role: no catalogue may define it, the HRIS cannot
 * send it, and a later change a rule matches moves the person out of it like any role.
 */
export const NO_ROLE = 'no-role';
export type Unassigned = z.infer<typeof unassignedSchema>;

/** What the catalogue must hold for role assignment (a structural slice of `Catalogue`). */
export interface AssignmentCatalogue {
  readonly roles: readonly { readonly id: string }[];
  readonly assignments: readonly AssignmentRule[];
  readonly unassigned: Unassigned;
}

/** The role a person gets, and why; `none` is the audited "no role" outcome. */
export type RoleAssignment =
  | { readonly kind: 'role'; readonly roleId: string; readonly source: 'hris' }
  | { readonly kind: 'role'; readonly roleId: string; readonly source: 'rule'; readonly ruleId: string }
  | { readonly kind: 'none'; readonly outcome: 'birthright-only' | 'refused' };

const valuesOf = (value: string | readonly string[]): string[] => (typeof value === 'string' ? [value] : [...value]).map((v) => v.trim());

export function ruleMatches(rule: AssignmentRule, attributes: EmployeeAttributes): boolean {
  return Object.entries(rule.when).every(([name, wanted]) => {
    const actual = attributeValue(attributes, name);
    return actual !== undefined && valuesOf(wanted).includes(actual);
  });
}

/** Explicit HRIS role first, then the first matching rule, then the catalogue's `unassigned`. */
export function assignRole(catalogue: AssignmentCatalogue, subject: { role?: string | undefined; attributes: EmployeeAttributes }): RoleAssignment {
  const explicit = subject.role?.trim();
  if (explicit !== undefined && explicit !== '') {
    if (!catalogue.roles.some((role) => role.id === explicit)) {
      const known = catalogue.roles.map((role) => role.id).join(', ');
      throw new ValidationError(`role '${explicit}' sent by the HRIS is not in the catalogue (roles: ${known})`);
    }
    return { kind: 'role', roleId: explicit, source: 'hris' };
  }
  const rule = catalogue.assignments.find((candidate) => ruleMatches(candidate, subject.attributes));
  if (rule) return { kind: 'role', roleId: rule.role, source: 'rule', ruleId: rule.id };
  return { kind: 'none', outcome: catalogue.unassigned === 'refuse' ? 'refused' : 'birthright-only' };
}

type Issue = (path: (string | number)[], message: string) => void;

/** `later` can never win when every condition of `earlier` is also in `later`, with no value outside it. */
function shadows(earlier: AssignmentRule, later: AssignmentRule): boolean {
  const conditions = Object.entries(earlier.when);
  // A rule without conditions is refused on its own (`when` must name an attribute).
  return conditions.length > 0 && conditions.every(([name, values]) => {
    const laterValues = later.when[name];
    if (laterValues === undefined) return false;
    const allowed = new Set(valuesOf(values));
    return valuesOf(laterValues).every((value) => allowed.has(value));
  });
}

/** Cross-field checks of the rules: unknown roles, duplicate ids and values, rules that can never match. */
export function checkAssignments(catalogue: AssignmentCatalogue, issue: Issue): void {
  const roleIds = new Set(catalogue.roles.map((role) => role.id));
  const ruleIds = new Map<string, number>();
  catalogue.assignments.forEach((rule, i) => {
    if (!roleIds.has(rule.role)) issue(['assignments', i, 'role'], `unknown role '${rule.role}'`);
    const first = ruleIds.get(rule.id);
    if (first !== undefined) issue(['assignments', i, 'id'], `duplicate rule id '${rule.id}' (also assignments[${first}])`);
    else ruleIds.set(rule.id, i);
    for (const [name, values] of Object.entries(rule.when)) {
      if (typeof values === 'string') continue;
      const seen = new Set<string>();
      valuesOf(values).forEach((value, v) => {
        if (seen.has(value)) issue(['assignments', i, 'when', name, v], `duplicate value '${value}'`);
        seen.add(value);
      });
    }
    const earlier = catalogue.assignments.slice(0, i).findIndex((candidate) => shadows(candidate, rule));
    if (earlier >= 0) {
      issue(['assignments', i], `rule '${rule.id}' can never match: assignments[${earlier}] ('${catalogue.assignments[earlier]?.id}') matches everyone it does`);
    }
  });
}

import type { ConditionBlock, TrustPolicy, TrustStatement } from '../../infra/spec/scheduler-trust.ts';

/**
 * Whether a service may assume a role, judged from the role's trust policy as IAM does for the
 * parts Gatehouse uses (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html):
 * an explicit Deny wins, else some Allow must match; a statement matches when its Principal
 * names the service, its Action covers sts:AssumeRole and every condition holds. Within a
 * condition, operators and keys are ANDed, the values of one key ORed; a key the request lacks
 * fails the condition (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
 * Operators: StringEquals, StringLike, ArnEquals, ArnLike (Arn* compared as a whole string with
 * `*` and `?`, which agrees with IAM's per-segment rule for the patterns used here). A statement
 * with any other operator never matches, so an Allow the model cannot read trusts nobody.
 */
export interface AssumeRoleRequest {
  service: string;
  /** Global condition keys the calling service presents, e.g. aws:SourceArn, aws:SourceAccount. */
  context: Record<string, string>;
}

const ACTION = 'sts:AssumeRole';
const list = (value: string | string[]): string[] => (Array.isArray(value) ? value : [value]);

function wildcard(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

const OPERATORS: Record<string, (actual: string, expected: string) => boolean> = {
  StringEquals: (actual, expected) => actual === expected,
  ArnEquals: (actual, expected) => actual === expected,
  StringLike: (actual, expected) => wildcard(expected).test(actual),
  ArnLike: (actual, expected) => wildcard(expected).test(actual),
};

function conditionsHold(conditions: ConditionBlock | undefined, context: Record<string, string>): boolean {
  return Object.entries(conditions ?? {}).every(([operator, keys]) => {
    const compare = OPERATORS[operator];
    if (!compare) return false;
    return Object.entries(keys).every(([key, values]) => {
      const actual = context[key];
      return actual !== undefined && list(values).some((expected) => compare(actual, expected));
    });
  });
}

function matches(statement: TrustStatement, request: AssumeRoleRequest): boolean {
  const services = list(statement.Principal.Service);
  const actions = list(statement.Action);
  return services.includes(request.service) && actions.some((a) => a === ACTION || a === 'sts:*' || a === '*') && conditionsHold(statement.Condition, request.context);
}

export function mayAssumeRole(policy: TrustPolicy, request: AssumeRoleRequest): boolean {
  const applicable = policy.Statement.filter((statement) => matches(statement, request));
  return applicable.some((s) => s.Effect === 'Allow') && !applicable.some((s) => s.Effect === 'Deny');
}

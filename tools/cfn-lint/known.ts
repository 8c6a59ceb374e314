/**
 * cfn-lint findings on the synthesized template that are known to be wrong, each with why.
 * The one place they are listed: tools/cfn-lint.ts drops exactly these and fails on anything else.
 */
export interface Finding {
  Rule: { Id: string };
  Message: string;
  Level: string;
  Location: { Path: (string | number)[] };
}

export interface KnownFalsePositive {
  rule: string;
  why: string;
  /** True when this finding is the known false positive (and nothing broader). */
  matches(finding: Finding, context: { succeedStates: ReadonlySet<string> }): boolean;
}

export const KNOWN_FALSE_POSITIVES: readonly KnownFalsePositive[] = [
  {
    rule: 'E3601',
    why:
      "cfn-lint's state machine schema refuses OutputPath on a Succeed state, which the Amazon States Language allows " +
      '(Succeed states take InputPath and OutputPath: https://docs.aws.amazon.com/step-functions/latest/dg/state-succeed.html). ' +
      'Only OutputPath on states that are Succeed states in statemachines/*.asl.json is dropped.',
    matches: (finding, { succeedStates }) => {
      const path = finding.Location.Path;
      const state = path[path.length - 2];
      return path.includes('DefinitionString') && path[path.length - 1] === 'OutputPath' && typeof state === 'string' && succeedStates.has(state);
    },
  },
  {
    rule: 'W3005',
    why:
      "CDK makes each Lambda function and state machine DependsOn its role and the role's default policy (so the policy " +
      'exists before the resource runs); the role is also referenced by GetAtt, which cfn-lint reports as an obsolete dependency. Harmless.',
    matches: (finding) => /^'\w+' dependency already enforced by a 'GetAtt' at 'Resources\/\w+\/Properties\/(Role|RoleArn)'$/.test(finding.Message),
  },
];

/** The findings that are not known false positives. */
export function unexpectedFindings(findings: readonly Finding[], succeedStates: ReadonlySet<string>): Finding[] {
  return findings.filter((finding) => !KNOWN_FALSE_POSITIVES.some((known) => known.rule === finding.Rule.Id && known.matches(finding, { succeedStates })));
}

/**
 * ASL definitions reference infrastructure only through `${Name}` substitutions
 * (never through execution input). The names follow one convention, resolved here for
 * both the CDK stack and the local cloud:
 *
 *   ${<Pascal>FunctionArn}      -> the function in functions/<kebab>/
 *   ${<Pascal>TableName}        -> the DynamoDB table <kebab> (see tables.ts)
 *   ${<Pascal>StateMachineArn}  -> the state machine statemachines/<kebab>.asl.json
 *   ${EventBusName}, ${ScheduleGroupName}, ${SchedulerRoleArn}
 */
export type SubstitutionKind = 'function' | 'table' | 'stateMachine' | 'global';

export interface Substitution {
  key: string;
  kind: SubstitutionKind;
  /** Kebab-case resource name (function folder, table, machine) or the global key. */
  resource: string;
}

const SUFFIXES: [string, SubstitutionKind][] = [
  ['FunctionArn', 'function'],
  ['StateMachineArn', 'stateMachine'],
  ['TableName', 'table'],
];

export const GLOBAL_SUBSTITUTIONS = ['EventBusName', 'ScheduleGroupName', 'SchedulerRoleArn'] as const;
export type GlobalSubstitution = (typeof GLOBAL_SUBSTITUTIONS)[number];

const kebab = (pascal: string): string => pascal.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

export function classifySubstitution(key: string): Substitution {
  if ((GLOBAL_SUBSTITUTIONS as readonly string[]).includes(key)) return { key, kind: 'global', resource: key };
  for (const [suffix, kind] of SUFFIXES) {
    if (key.endsWith(suffix) && key.length > suffix.length) {
      return { key, kind, resource: kebab(key.slice(0, -suffix.length)) };
    }
  }
  throw new Error(`unknown ASL substitution \${${key}}: use <Name>FunctionArn, <Name>TableName, <Name>StateMachineArn or one of ${GLOBAL_SUBSTITUTIONS.join(', ')}`);
}

/** Every `${...}` key a definition uses, in order of first appearance. */
export function substitutionKeys(definition: string): string[] {
  return [...new Set([...definition.matchAll(/\$\{([A-Za-z0-9]+)\}/g)].map((m) => m[1] as string))];
}

/** Replace each `${key}` with its value; throws if a key has no value. */
export function applySubstitutions(definition: string, values: Record<string, string>): string {
  return definition.replace(/\$\{([A-Za-z0-9]+)\}/g, (_match, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`no value for ASL substitution \${${key}}`);
    return value;
  });
}

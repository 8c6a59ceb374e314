import { classifySubstitution } from '../spec/substitutions.ts';

/**
 * Reads what an ASL definition calls. Only Lambda is supported as a Task target today
 * (directly, `${XFunctionArn}`, or through `arn:aws:states:::lambda:invoke[.waitForTaskToken]`
 * with `FunctionName: ${XFunctionArn}`); anything else fails synth, so a new integration
 * cannot ship without its IAM being written in workflows.ts.
 */

interface AslState {
  Type?: string;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  Arguments?: Record<string, unknown>;
  ItemProcessor?: { States?: Record<string, AslState> };
  Iterator?: { States?: Record<string, AslState> };
  Branches?: { States?: Record<string, AslState> }[];
}

interface AslDefinition {
  States?: Record<string, AslState>;
}

export interface TaskTarget {
  state: string;
  /** Function folder the Task invokes. */
  function: string;
}

const LAMBDA_INVOKE = /^arn:aws:states:::lambda:invoke(\.waitForTaskToken)?$/;
const SUBSTITUTION = /^\$\{([A-Za-z0-9]+)\}$/;

function* taskStates(states: Record<string, AslState> | undefined): Generator<[string, AslState]> {
  for (const [name, state] of Object.entries(states ?? {})) {
    if (state.Type === 'Task') yield [name, state];
    yield* taskStates(state.ItemProcessor?.States);
    yield* taskStates(state.Iterator?.States);
    for (const branch of state.Branches ?? []) yield* taskStates(branch.States);
  }
}

function functionOf(reference: unknown, where: string): string {
  const key = typeof reference === 'string' ? SUBSTITUTION.exec(reference)?.[1] : undefined;
  const sub = key === undefined ? undefined : classifySubstitution(key);
  if (sub?.kind !== 'function') throw new Error(`${where}: expected a \${<Name>FunctionArn} substitution, got ${JSON.stringify(reference)}`);
  return sub.resource;
}

/** Every Lambda function each Task state invokes. Throws for unsupported Task resources. */
export function taskTargets(definition: string, file: string): TaskTarget[] {
  const asl = JSON.parse(definition) as AslDefinition;
  const targets: TaskTarget[] = [];
  for (const [state, task] of taskStates(asl.States)) {
    const where = `${file} state "${state}"`;
    const resource = task.Resource ?? '';
    if (SUBSTITUTION.test(resource)) {
      targets.push({ state, function: functionOf(resource, where) });
    } else if (LAMBDA_INVOKE.test(resource)) {
      const params = task.Parameters ?? task.Arguments ?? {};
      targets.push({ state, function: functionOf(params.FunctionName, `${where} FunctionName`) });
    } else {
      throw new Error(`${where}: Task resource ${JSON.stringify(resource)} is not supported by infra/constructs/workflows.ts (Lambda only); add its IAM there`);
    }
  }
  return targets;
}

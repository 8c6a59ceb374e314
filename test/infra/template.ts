import { TABLES } from '../../infra/spec/tables.ts';
import { ofType, type CfnResource } from './synth.ts';

/** Finding things in a synthesised template by the names Gatehouse gives them. */

type Resources = Record<string, CfnResource>;

/** Logical id of the Lambda function for a folder (functions are named gatehouse-<folder>). */
export function functionLogicalId(resources: Resources, folder: string): string {
  const found = ofType(resources, 'AWS::Lambda::Function').find(([, fn]) => fn.Properties?.FunctionName === `gatehouse-${folder}`);
  if (!found) throw new Error(`no Lambda function gatehouse-${folder} in the template`);
  return found[0];
}

export const keySchema = (hash?: string, range?: string) => [
  { AttributeName: hash, KeyType: 'HASH' },
  ...(range ? [{ AttributeName: range, KeyType: 'RANGE' }] : []),
];

export function tableLogicalId(resources: Resources, name: string): string {
  const spec = TABLES.find((table) => table.name === name);
  const expected = JSON.stringify(keySchema(spec?.partitionKey.name, spec?.sortKey?.name));
  const found = ofType(resources, 'AWS::DynamoDB::Table').find(([, table]) => JSON.stringify(table.Properties?.KeySchema) === expected);
  if (!found) throw new Error(`no table ${name}`);
  return found[0];
}

export function stateMachineResource(resources: Resources, name: string): { id: string; props: Record<string, unknown> } {
  const found = ofType(resources, 'AWS::StepFunctions::StateMachine').find(([, sm]) => sm.Properties?.StateMachineName === `gatehouse-${name}`);
  if (!found) throw new Error(`no state machine gatehouse-${name}`);
  return { id: found[0], props: found[1].Properties ?? {} };
}

/** `${XFunctionArn}` keys of the Task states of an ASL document, at any depth (Map, Parallel); written apart from infra/. */
export function taskFunctionKeys(asl: unknown): string[] {
  const keys: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const state = node as Record<string, unknown>;
    if (state.Type === 'Task') {
      const params = (state.Parameters ?? {}) as Record<string, unknown>;
      const reference = String(String(state.Resource).startsWith('arn:aws:states:::lambda:invoke') ? params.FunctionName : state.Resource);
      const key = /^\$\{([A-Za-z0-9]+FunctionArn)\}$/.exec(reference)?.[1];
      if (!key) throw new Error(`unexpected Task resource ${reference}`);
      keys.push(key);
    }
    Object.values(state).forEach(visit);
  };
  visit(asl);
  return [...new Set(keys)];
}

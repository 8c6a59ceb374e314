import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { classifySubstitution, substitutionKeys } from '../spec/substitutions.ts';
import { TABLES } from '../spec/tables.ts';
import { STATE_MACHINES } from '../spec/wiring.ts';
import type { TableName } from '../spec/functions.ts';
import { taskTargets } from './asl.ts';
import type { Functions } from './functions.ts';
import { pascal, stateMachineArn, stateMachineName } from './names.ts';

export interface WorkflowsProps {
  root: string;
  functions: Functions;
  tableNames: Record<TableName, string>;
  /** Values of the global substitutions (EventBusName, ScheduleGroupName, SchedulerRoleArn). */
  globals: Record<string, string>;
  logRetention: RetentionDays;
}

/** The `.asl.json` files present, checked against wiring.ts STATE_MACHINES (the local cloud's list). */
export function stateMachineFiles(root: string): string[] {
  const names = readdirSync(join(root, 'statemachines'))
    .filter((file) => file.endsWith('.asl.json'))
    .map((file) => file.slice(0, -'.asl.json'.length))
    .sort();
  const listed = [...STATE_MACHINES] as string[];
  const unlisted = names.filter((name) => !listed.includes(name));
  const missing = listed.filter((name) => !names.includes(name));
  if (unlisted.length > 0 || missing.length > 0) {
    throw new Error(
      `statemachines/ and infra/spec/wiring.ts STATE_MACHINES disagree: ${[
        ...unlisted.map((name) => `${name}.asl.json is not listed`),
        ...missing.map((name) => `${name} is listed but ${name}.asl.json is missing`),
      ].join('; ')}`,
    );
  }
  return names;
}

/**
 * One state machine per statemachines/<name>.asl.json, inline (DefinitionBody.fromString),
 * named `gatehouse-<name>`, every `${...}` resolved or synth fails naming the key. Each
 * role may invoke only the functions its definition's Task states name. All events are
 * logged without execution data (HR payloads are personal data, and callback inputs carry
 * task tokens); X-Ray tracing on.
 */
export class Workflows extends Construct {
  readonly stateMachines = new Map<string, StateMachine>();

  constructor(scope: Construct, id: string, props: WorkflowsProps) {
    super(scope, id);
    for (const name of stateMachineFiles(props.root)) this.stateMachines.set(name, this.build(name, props));
  }

  private substitution(file: string, key: string, props: WorkflowsProps): string {
    const sub = classifySubstitution(key);
    const usedBy = `${file} \${${key}}`;
    switch (sub.kind) {
      case 'function':
        return props.functions.get(sub.resource, usedBy).functionArn;
      case 'table': {
        if (!TABLES.some((table) => table.name === sub.resource)) throw new Error(`${usedBy}: no table '${sub.resource}' in infra/spec/tables.ts`);
        return props.tableNames[sub.resource as TableName];
      }
      case 'stateMachine':
        return stateMachineArn(Stack.of(this), sub.resource);
      case 'global': {
        const value = props.globals[sub.resource];
        if (value === undefined) throw new Error(`${usedBy}: no value for global substitution`);
        return value;
      }
    }
  }

  private build(name: string, props: WorkflowsProps): StateMachine {
    const file = `statemachines/${name}.asl.json`;
    const definition = readFileSync(join(props.root, file), 'utf8');
    const substitutions: Record<string, string> = {};
    for (const key of substitutionKeys(definition)) {
      try {
        substitutions[key] = this.substitution(file, key, props);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`${file}: cannot resolve \${${key}}: ${reason}`, { cause: error });
      }
    }
    const id = pascal(name);
    const role = new Role(this, `${id}Role`, {
      assumedBy: new ServicePrincipal('states.amazonaws.com'),
      description: `Gatehouse ${stateMachineName(name)}: invoke only the functions its Task states name`,
    });
    const invoked = [...new Set(taskTargets(definition, file).map((target) => target.function))].sort();
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: invoked.map((fn) => props.functions.get(fn, `${file} Task state`).functionArn),
      }),
    );
    if (/"Mode":\s*"DISTRIBUTED"/.test(definition)) {
      // A Distributed Map runs its items as child executions of this machine: the role starts them
      // and watches and stops them, on this machine and its executions only
      // (https://docs.aws.amazon.com/step-functions/latest/dg/iam-policies-eg-dist-map.html).
      const stack = Stack.of(this);
      role.addToPrincipalPolicy(new PolicyStatement({ actions: ['states:StartExecution'], resources: [stateMachineArn(stack, name)] }));
      role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['states:DescribeExecution', 'states:StopExecution'],
          // Child executions are named `<machine>/<Map label>:<name>`.
          resources: [stack.formatArn({ service: 'states', resource: 'execution', resourceName: `${stateMachineName(name)}/*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
        }),
      );
    }
    const logGroup = new LogGroup(this, `${id}Logs`, { retention: props.logRetention, removalPolicy: RemovalPolicy.RETAIN });
    const machine = new StateMachine(this, id, {
      stateMachineName: stateMachineName(name),
      definitionBody: DefinitionBody.fromString(definition),
      definitionSubstitutions: substitutions,
      role,
      logs: { destination: logGroup, level: LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
    });
    return machine;
  }
}

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import { taskTargets } from '../../infra/constructs/asl.ts';
import { functionFolders } from '../../infra/constructs/functions.ts';
import { acknowledgeWildcards, flatten } from '../../infra/constructs/wildcards.ts';
import { stateMachineFiles } from '../../infra/constructs/workflows.ts';
import { REPO_ROOT } from '../../infra/gatehouse.ts';
import { FUNCTIONS, requiredEnv } from '../../infra/spec/functions.ts';
import { tableEnvVar } from '../../infra/spec/tables.ts';
import { ROUTES, STATE_MACHINES } from '../../infra/spec/wiring.ts';
import { readAsl } from './synth.ts';

describe('infra/spec/functions.ts', () => {
  it('declares every function folder', () => {
    const declared = FUNCTIONS.map((spec) => spec.name);
    expect(functionFolders(REPO_ROOT).filter((folder) => !declared.includes(folder))).toEqual([]);
  });

  it('declares each function once', () => {
    const names = FUNCTIONS.map((spec) => spec.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('never gives the audit table more than read or append', () => {
    for (const spec of FUNCTIONS) expect(['read', 'append', undefined], spec.name).toContain(spec.tables?.audit);
  });

  it('declares every function a Task state, route or rule uses, with http functions on routes', () => {
    const declared = new Set(FUNCTIONS.map((spec) => spec.name));
    for (const name of STATE_MACHINES) {
      for (const target of taskTargets(readAsl(name), name)) expect(declared.has(target.function), `${name}: ${target.state}`).toBe(true);
    }
    for (const route of ROUTES) expect(FUNCTIONS.find((spec) => spec.name === route.function)?.invokedBy).toBe('http');
  });

  it('derives table and state machine variables from what a function touches', () => {
    const deprovisioning = FUNCTIONS.find((spec) => spec.name === 'schedule-deprovisioning');
    expect(deprovisioning && requiredEnv(deprovisioning, tableEnvVar)).toEqual([
      'EMPLOYEES_TABLE_NAME',
      'LEAVER_STATE_MACHINE_ARN',
      'SCHEDULER_ROLE_ARN',
      'SCHEDULE_GROUP_NAME',
    ]);
  });
});

describe('state machine definitions', () => {
  it('match wiring.ts STATE_MACHINES file for file', () => {
    const files = readdirSync(join(REPO_ROOT, 'statemachines')).filter((file) => file.endsWith('.asl.json'));
    expect(stateMachineFiles(REPO_ROOT)).toHaveLength(files.length);
  });

  it('finds Task targets inside Map item processors and callback tasks', () => {
    const asl = JSON.stringify({
      States: {
        A: { Type: 'Task', Resource: '${PrepareJoinFunctionArn}' },
        M: {
          Type: 'Map',
          ItemProcessor: {
            States: { B: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: { FunctionName: '${ApprovalRequestFunctionArn}' } } },
          },
        },
      },
    });
    expect(taskTargets(asl, 'x.asl.json')).toEqual([
      { state: 'A', function: 'prepare-join' },
      { state: 'B', function: 'approval-request' },
    ]);
  });

  it('fails on a Task resource the stack cannot grant, naming the state', () => {
    const asl = JSON.stringify({ States: { 'Put Item': { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem' } } });
    expect(() => taskTargets(asl, 'x.asl.json')).toThrow(/x.asl.json state "Put Item": Task resource .* is not supported/);
  });
});

describe('wildcard acknowledgements', () => {
  const roleWith = (statement: PolicyStatement): Stack => {
    const stack = new Stack(new App(), 'T', { env: { account: '123456789012', region: 'eu-west-1' } });
    new Role(stack, 'R', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') }).addToPrincipalPolicy(statement);
    return stack;
  };

  it('refuses a wildcard action', () => {
    const stack = roleWith(new PolicyStatement({ actions: ['dynamodb:*'], resources: ['arn:aws:dynamodb:eu-west-1:123456789012:table/x'] }));
    expect(() => acknowledgeWildcards(stack)).toThrow(/wildcard action dynamodb:\* is never allowed/);
  });

  it('refuses a wildcard resource nobody explained', () => {
    const stack = roleWith(new PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::bucket/*'] }));
    expect(() => acknowledgeWildcards(stack)).toThrow(/wildcard resource arn:aws:s3:::bucket\/\* has no reason/);
  });

  it('refuses Resource * for an action AWS can scope', () => {
    const stack = roleWith(new PolicyStatement({ actions: ['dynamodb:GetItem'], resources: ['*'] }));
    expect(() => acknowledgeWildcards(stack)).toThrow(/dynamodb:GetItem is granted on Resource '\*'/);
  });

  it('names intrinsic functions the way cdk-nag does', () => {
    expect(flatten({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:', { 'Fn::GetAtt': ['Fn', 'Arn'] }]] })).toBe('arn:<AWS::Partition>:ec2:<Fn.Arn>');
  });
});

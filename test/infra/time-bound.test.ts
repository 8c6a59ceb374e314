import { beforeAll, describe, expect, it } from 'vitest';
import { asList, ofType, policyStatements, referencedId, synthGatehouse, type Synthesised } from './synth.ts';
import { functionLogicalId, stateMachineResource, tableLogicalId } from './template.ts';

/** Time-bound access in the stack: who may start the workflow, what its schedules may start, how callers are found. */

let synth: Synthesised;
beforeAll(() => {
  synth = synthGatehouse();
}, 180_000);

const roleOf = (folder: string): string => referencedId(synth.resources[functionLogicalId(synth.resources, folder)]?.Properties?.Role) ?? '';
const statementsOf = (folder: string) => policyStatements(synth.resources).filter(({ roles }) => roles.includes(roleOf(folder)));
const envOf = (folder: string) =>
  (synth.resources[functionLogicalId(synth.resources, folder)]?.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;

describe('time-bound in the stack', () => {
  it('creates gatehouse-time-bound from its ASL file', () => {
    expect(stateMachineResource(synth.resources, 'time-bound').props.StateMachineName).toBe('gatehouse-time-bound');
  });

  it('lets time-bound-api start, describe and (a withdrawal) fail the tasks of time-bound executions only, and nothing on other machines', () => {
    const states = statementsOf('time-bound-api').filter(({ statement }) => asList(statement.Action).some((action) => action.startsWith('states:')));
    // SendTaskFailure takes a task token, not an ARN: IAM grants it on * (as for the approval page).
    expect(states.flatMap(({ statement }) => asList(statement.Action).filter((action) => action.startsWith('states:'))).sort()).toEqual(['states:DescribeExecution', 'states:SendTaskFailure', 'states:StartExecution']);
    const resources = JSON.stringify(states.map(({ statement }) => statement.Resource));
    expect(resources).toContain('gatehouse-time-bound');
    expect(resources).not.toMatch(/gatehouse-(joiner|leaver|mover)/);
    expect(JSON.stringify(envOf('time-bound-api').TIME_BOUND_STATE_MACHINE_ARN)).toContain(':stateMachine:gatehouse-time-bound');
    expect(envOf('time-bound-api').OPERATOR_GROUP).toBeDefined();
  });

  it('gives schedule-expiry the Scheduler calls on the gatehouse group and PassRole of the scheduler role only', () => {
    const actions = statementsOf('schedule-expiry').flatMap(({ statement }) => asList(statement.Action));
    expect(actions.filter((action) => action.startsWith('scheduler:')).sort()).toEqual([
      'scheduler:CreateSchedule',
      'scheduler:DeleteSchedule',
      'scheduler:GetSchedule',
      'scheduler:UpdateSchedule',
    ]);
    const passRole = statementsOf('schedule-expiry').find(({ statement }) => asList(statement.Action).includes('iam:PassRole'));
    expect(passRole?.statement.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } });
  });

  it('indexes employees by their lower-case work e-mail (byEmail)', () => {
    const table = synth.resources[tableLogicalId(synth.resources, 'employees')]?.Properties ?? {};
    const indexes = table.GlobalSecondaryIndexes as { IndexName: string; KeySchema: unknown }[];
    expect(indexes.find((index) => index.IndexName === 'byEmail')?.KeySchema).toEqual([{ AttributeName: 'emailLower', KeyType: 'HASH' }]);
  });

  it('puts the JWT authorizer on every /access-requests route', () => {
    const routes = ofType(synth.resources, 'AWS::ApiGatewayV2::Route').filter(([, route]) => String(route.Properties?.RouteKey).includes('/access-requests'));
    expect(routes.map(([, route]) => route.Properties?.RouteKey).sort()).toEqual([
      'GET /access-requests/{id}',
      'POST /access-requests',
      'POST /access-requests/{id}/extend',
      'POST /access-requests/{id}/revoke',
      'POST /access-requests/{id}/withdraw',
    ]);
    for (const [, route] of routes) expect(route.Properties?.AuthorizationType).toBe('JWT');
  });
});

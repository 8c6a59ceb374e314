import { DescribeExecutionCommand, ExecutionAlreadyExists, ExecutionDoesNotExist, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { employeeLeftSchema } from '#lib/domain/events/employee-events';

/**
 * POST /operator/leavers, the handler as API Gateway invokes it after the JWT authorizer: the
 * employees table and Step Functions are SDK mocks that keep state (one execution per name).
 */

const MACHINE = 'arn:aws:states:us-east-1:000000000000:stateMachine:gatehouse-leaver';
const OPERATORS = 'gatehouse-operators';
type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
let handler: Handler;

const sfn = mockClient(SFNClient);
const dynamo = mockClient(DynamoDBDocumentClient);
let executions: Map<string, string>;
let employees: Record<string, Record<string, unknown>>;

beforeAll(async () => {
  Object.assign(process.env, { AWS_REGION: 'us-east-1', EMPLOYEES_TABLE_NAME: 'employees', LEAVER_STATE_MACHINE_ARN: MACHINE, OPERATOR_GROUP: OPERATORS, POWERTOOLS_LOG_LEVEL: 'SILENT' });
  const loaded: { handler: unknown } = await import('../../../functions/operator-leave/handler.ts');
  handler = loaded.handler as Handler;
});

beforeEach(() => {
  executions = new Map();
  employees = { E1: { employeeId: 'E1', status: 'active' }, E2: { employeeId: 'E2', status: 'active' } };
  sfn.reset();
  dynamo.reset();
  dynamo.on(GetCommand).callsFake((input: { Key: { employeeId: string } }) => ({ Item: employees[input.Key.employeeId] }));
  sfn.on(StartExecutionCommand).callsFake((input: { name: string; input: string }) => {
    if (executions.has(input.name)) throw new ExecutionAlreadyExists({ message: 'exists', $metadata: {} });
    executions.set(input.name, input.input);
    return { executionArn: `${MACHINE}:${input.name}`, startDate: new Date() };
  });
  sfn.on(DescribeExecutionCommand).callsFake((input: { executionArn: string }) => {
    const name = input.executionArn.split(':').pop() ?? '';
    const stored = executions.get(name);
    if (!input.executionArn.startsWith(MACHINE.replace(':stateMachine:', ':execution:'))) throw new Error(`wrong execution arn ${input.executionArn}`);
    if (!stored) throw new ExecutionDoesNotExist({ message: 'no', $metadata: {} });
    return { executionArn: input.executionArn, status: 'RUNNING', input: stored, stateMachineArn: MACHINE, startDate: new Date() };
  });
});

const OPERATOR = { sub: 'okta|00u1', email: 'Ops.Lead@Example.com', email_verified: 'true', groups: [OPERATORS, 'staff'] };

function request(body: string, options: { claims?: Record<string, string | string[]> | null; key?: string } = {}): APIGatewayProxyEventV2 {
  const claims = options.claims === undefined ? OPERATOR : options.claims;
  return {
    version: '2.0',
    routeKey: 'POST /operator/leavers',
    rawPath: '/operator/leavers',
    rawQueryString: '',
    headers: { 'content-type': 'application/json', ...(options.key ? { 'idempotency-key': options.key } : {}) },
    requestContext: { requestId: 'r', http: { method: 'POST', path: '/operator/leavers' }, ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}) },
    body,
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
}

const call = async (event: APIGatewayProxyEventV2) => {
  const res = await handler(event, { functionName: 'gatehouse-operator-leave', awsRequestId: 'a', getRemainingTimeInMillis: () => 10_000 } as unknown as Context);
  return { status: res.statusCode, body: JSON.parse(res.body ?? '{}') as Record<string, unknown> };
};
const leave = (employeeId = 'E1', reason = 'laptop stolen, credentials compromised') => JSON.stringify({ employeeId, reason });
const started = () => sfn.commandCalls(StartExecutionCommand).length;

describe('operator-leave: the kill switch', () => {
  it('starts the leaver, named after the Idempotency-Key, with an operator employee.left event', async () => {
    const res = await call(request(leave(), { key: 'k-0001-abcd' }));

    expect(res).toEqual({ status: 202, body: { executionName: 'operator-k-0001-abcd', status: 'RUNNING', replayed: false } });
    const input = sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input;
    expect(input?.stateMachineArn).toBe(MACHINE);
    expect(input?.name).toBe('operator-k-0001-abcd');
    const event = employeeLeftSchema.parse(JSON.parse(input?.input ?? '{}'));
    expect(event).toMatchObject({
      type: 'employee.left',
      deliveryId: 'operator-k-0001-abcd',
      source: 'operator',
      employeeId: 'E1',
      immediate: true,
      operator: { id: 'ops.lead@example.com', reason: 'laptop stolen, credentials compromised' },
    });
    expect(event.effectiveAt).toBe(event.occurredAt);
  });

  it('answers a replay with the same key with the same execution and starts nothing new', async () => {
    await call(request(leave(), { key: 'k-replay-01' }));
    const again = await call(request(leave(), { key: 'k-replay-01' }));

    expect(again).toEqual({ status: 202, body: { executionName: 'operator-k-replay-01', status: 'RUNNING', replayed: true } });
    expect(executions.size).toBe(1);
  });

  it('refuses a key already used for another employee (409)', async () => {
    await call(request(leave('E1'), { key: 'k-shared-01' }));
    const res = await call(request(leave('E2'), { key: 'k-shared-01' }));
    expect(res).toEqual({ status: 409, body: { error: 'ConflictError', message: 'Idempotency-Key was already used for another employee; use a new key' } });
  });

  it('generates a key when none is sent, and records the subject when the token has no verified e-mail', async () => {
    const res = await call(request(leave(), { claims: { sub: 'okta|00u1', email: 'x@example.com', email_verified: 'false', groups: [OPERATORS] } }));
    expect(res.status).toBe(202);
    expect(res.body.executionName).toMatch(/^operator-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(JSON.parse(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input.input ?? '{}')).toMatchObject({ operator: { id: 'okta|00u1' } });
  });

  it('404s an employee Gatehouse does not know, and starts nothing', async () => {
    expect(await call(request(leave('E404')))).toEqual({ status: 404, body: { error: 'NotFoundError', message: 'employeeId: Gatehouse knows no employee E404' } });
    expect(started()).toBe(0);
  });

  it('409s someone who already left, saying when and by which execution', async () => {
    employees.E1 = { employeeId: 'E1', status: 'left', leftAt: '2026-05-01T12:00:00.000Z', leftBy: 'generic-d7' };
    const res = await call(request(leave()));
    expect(res).toEqual({
      status: 409,
      body: { error: 'ConflictError', message: 'employee E1 already left at 2026-05-01T12:00:00.000Z (leaver execution generic-d7); their access was removed then, nothing was started' },
    });
    expect(started()).toBe(0);
  });

  it('answers a replay after its own leaver finished with that execution (202)', async () => {
    await call(request(leave(), { key: 'k-done-0001' }));
    employees.E1 = { employeeId: 'E1', status: 'left', leftAt: '2026-05-01T12:00:00.000Z', leftBy: 'operator-k-done-0001' };
    expect(await call(request(leave(), { key: 'k-done-0001' }))).toEqual({ status: 202, body: { executionName: 'operator-k-done-0001', status: 'RUNNING', replayed: true } });
    expect(started()).toBe(1);
  });

  it('answers 503 with Retry-After on a throttled read (retry with the same key), starting nothing', async () => {
    dynamo.on(GetCommand).rejects(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }));
    expect(await call(request(leave()))).toEqual({ status: 503, body: { error: 'ServiceUnavailable' } });
    expect(started()).toBe(0);
  });
});

describe('operator-leave: who may call', () => {
  it('403s a caller outside the operator group, before reading anything', async () => {
    const res = await call(request(leave(), { claims: { sub: 'u2', email: 'dev@example.com', groups: ['staff', 'gatehouse-operators-readonly'] } }));
    expect(res).toEqual({ status: 403, body: { error: 'ForbiddenError', message: 'caller is not in the gatehouse-operators group' } });
    expect(dynamo.commandCalls(GetCommand)).toHaveLength(0);
    expect(started()).toBe(0);
  });

  it('401s an event no authorizer vouched for', async () => {
    expect(await call(request(leave(), { claims: null }))).toEqual({ status: 401, body: { error: 'Unauthorized' } });
    expect(started()).toBe(0);
  });

  it('403s a subject that cannot be an audit actor id', async () => {
    const res = await call(request(leave(), { claims: { sub: 'has space', groups: [OPERATORS] } }));
    expect(res.status).toBe(403);
    expect(started()).toBe(0);
  });
});

describe('operator-leave: hostile input, 4xx and nothing started', () => {
  it.each([
    ['malformed JSON', '{"employeeId": "E1", ', 400, /^body: must be a JSON object/],
    ['a JSON array', '[]', 400, /^invalid body: \(root\):/],
    ['an unknown field', JSON.stringify({ employeeId: 'E1', reason: 'offboarding now', immediate: false }), 400, /Unrecognized key.*immediate/],
    ['a bad employee id', leave('../../etc/passwd'), 400, /^invalid body: employeeId: employeeId must be 1-64/],
    ['a missing reason', JSON.stringify({ employeeId: 'E1' }), 400, /^invalid body: reason:/],
    ['a reason of blanks', leave('E1', '      '), 400, /reason must be at least 5 characters/],
    ['a reason with control characters', leave('E1', 'stolen\u0000laptop'), 400, /reason must not contain control characters/],
    ['a reason over 500 characters', leave('E1', 'x'.repeat(501)), 400, /reason must be at most 500 characters/],
    ['an oversized body', JSON.stringify({ employeeId: 'E1', reason: 'ok reason', pad: 'x'.repeat(5000) }), 413, /^body: at most 4096 bytes/],
  ])('%s', async (_what, body, status, message) => {
    const res = await call(request(body));
    expect(res.status).toBe(status);
    expect(String(res.body.message)).toMatch(message);
    expect(started()).toBe(0);
  });

  it.each(['short', 'has space in it', 'x'.repeat(56), 'semi;colon-key'])('a bad Idempotency-Key %j', async (key) => {
    const res = await call(request(leave(), { key }));
    expect(res).toEqual({ status: 400, body: { error: 'ValidationError', message: 'Idempotency-Key must be 8-55 of A-Z a-z 0-9 _ -' } });
    expect(started()).toBe(0);
  });
});

import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, describe, expect, it } from 'vitest';
import { stateMachineArn } from '../../local/core/arn.ts';
import { AwsError } from '../../local/core/aws-error.ts';
import { startHttpServer } from '../../local/core/http.ts';
import { awsJsonService } from '../../local/core/protocols.ts';
import { parseResource } from '../../local/sfn/resources.ts';
import { awsSdkError, integrationError } from '../../local/sfn/sdk-integrations.ts';
import { createSfnEmulator } from '../../local/sfn/service.ts';
import { clientConfig, noFaults, serve } from '../support/emulator.ts';
import { asl, fakeLambda, finished } from './sfn-helpers.ts';

type Input = Record<string, unknown>;
const serviceError = (name: string, message: string) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400, requestId: 'req-1' } });

/** Tiny stand-ins for the services behind the integrations, reached through AWS_ENDPOINT_URL_<SERVICE>. */
async function fakeService(envVar: string, options: Parameters<typeof awsJsonService>[0]): Promise<Input[]> {
  const calls: Input[] = [];
  const operations = Object.fromEntries(
    Object.entries(options.operations).map(([name, op]) => [name, (input: unknown) => (calls.push({ op: name, ...(input as Input) }), op(input))]),
  );
  const server = await startHttpServer(0, awsJsonService({ ...options, operations }));
  process.env[envVar] = server.url;
  afterAll(() => server.close());
  return calls;
}

const secretCalls = await fakeService('AWS_ENDPOINT_URL_SECRETS_MANAGER', {
  service: 'secretsmanager',
  targetPrefix: 'secretsmanager',
  jsonVersion: '1.1',
  operations: {
    GetSecretValue: (input) => {
      if ((input as Input).SecretId !== 'gatehouse/hris') throw new AwsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
      return { Name: 'gatehouse/hris', SecretString: 's3cr3t', CreatedDate: 1_700_000_000 };
    },
  },
});
const dynamoCalls = await fakeService('AWS_ENDPOINT_URL_DYNAMODB', {
  service: 'dynamodb',
  targetPrefix: 'DynamoDB_20120810',
  jsonVersion: '1.0',
  operations: {
    PutItem: (input) => {
      const item = (input as { Item: { pk: { S: string } } }).Item;
      if (item.pk.S === 'taken') throw new AwsError('ConditionalCheckFailedException', 'The conditional request failed');
      return {};
    },
  },
});
const eventCalls = await fakeService('AWS_ENDPOINT_URL_EVENTBRIDGE', {
  service: 'events',
  targetPrefix: 'AWSEvents',
  jsonVersion: '1.1',
  operations: {
    PutEvents: (input) => {
      const entries = (input as { Entries: { Source: string }[] }).Entries;
      const results = entries.map((entry) => (entry.Source === 'bad' ? { ErrorCode: 'InvalidArgument', ErrorMessage: 'bad source' } : { EventId: 'ev-1' }));
      return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
    },
  },
});

const catchAll = (next: string) => [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: next }];
const machines = {
  secret: asl({
    'Read Secret': {
      Type: 'Task',
      Resource: 'arn:aws:states:::aws-sdk:secretsmanager:getSecretValue',
      Parameters: { 'SecretId.$': '$.secretId' },
      Catch: catchAll('Failed'),
      End: true,
    },
    Failed: { Type: 'Pass', End: true },
  }),
  audit: asl({
    'Write Audit Entry': {
      Type: 'Task',
      Resource: 'arn:aws:states:::dynamodb:putItem',
      Parameters: { TableName: 'audit', Item: { pk: { 'S.$': '$.pk' } }, ConditionExpression: 'attribute_not_exists(pk)' },
      Catch: catchAll('Failed'),
      End: true,
    },
    Failed: { Type: 'Pass', End: true },
  }),
  publish: asl({
    'Publish Event': {
      Type: 'Task',
      Resource: 'arn:aws:states:::events:putEvents',
      Parameters: { Entries: [{ 'Source.$': '$.source', DetailType: 'grant.revoked', Detail: { 'grantId.$': '$.grantId' }, EventBusName: 'gatehouse' }] },
      Catch: catchAll('Failed'),
      End: true,
    },
    Failed: { Type: 'Pass', End: true },
  }),
  parent: asl({
    'Start Child': {
      Type: 'Task',
      Resource: 'arn:aws:states:::states:startExecution',
      Parameters: { StateMachineArn: stateMachineArn('child'), 'Name.$': '$.childName', Input: { 'n.$': '$.n' } },
      Catch: catchAll('Failed'),
      End: true,
    },
    Failed: { Type: 'Pass', End: true },
  }),
  child: asl({ Child: { Type: 'Pass', End: true } }),
  describe: asl({
    'Describe Child': {
      Type: 'Task',
      Resource: 'arn:aws:states:::aws-sdk:sfn:describeExecution',
      Parameters: { 'ExecutionArn.$': '$.arn' },
      Catch: catchAll('Failed'),
      End: true,
    },
    Failed: { Type: 'Pass', End: true },
  }),
};

const endpoint = await serve(createSfnEmulator({ faults: noFaults() }, { machines, invokeFunction: fakeLambda({}).invokeFunction }));
process.env.AWS_ENDPOINT_URL_SFN = endpoint;
const client = new SFNClient(clientConfig(endpoint));

async function run(machine: keyof typeof machines, input: Input): Promise<Input> {
  const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn: stateMachineArn(machine), input: JSON.stringify(input) }));
  const description = await finished(client, executionArn ?? '');
  expect(description.status).toBe('SUCCEEDED');
  return JSON.parse(description.output ?? '{}') as Input;
}

describe('local Step Functions: service integrations', () => {
  it('calls aws-sdk:secretsmanager with the real SDK and returns the API output', async () => {
    const output = await run('secret', { secretId: 'gatehouse/hris' });
    expect(output).toEqual({ Name: 'gatehouse/hris', SecretString: 's3cr3t', CreatedDate: '2023-11-14T22:13:20.000Z' });
    expect(secretCalls.at(-1)).toMatchObject({ op: 'GetSecretValue', SecretId: 'gatehouse/hris' });
  });

  it('names aws-sdk errors <ServiceName>.<Error>Exception with an AWS-shaped cause', async () => {
    const { failure } = (await run('secret', { secretId: 'missing' })) as { failure: { Error: string; Cause: string } };
    expect(failure.Error).toBe('SecretsManager.ResourceNotFoundException');
    expect(failure.Cause).toMatch(/^Secrets Manager can't find the specified secret\. \(Service: SecretsManager, Status Code: 400, Request ID: /);
  });

  it('names optimized DynamoDB errors DynamoDB.<Exception>', async () => {
    const written = await run('audit', { pk: 'fresh' });
    expect(written).toHaveProperty('SdkHttpMetadata.HttpStatusCode', 200);
    expect(dynamoCalls.at(-1)).toMatchObject({ op: 'PutItem', TableName: 'audit', ConditionExpression: 'attribute_not_exists(pk)' });
    const { failure } = (await run('audit', { pk: 'taken' })) as { failure: { Error: string } };
    expect(failure.Error).toBe('DynamoDB.ConditionalCheckFailedException');
  });

  it('sends events:putEvents with Detail as text and fails on a failed entry with EventBridge.FailedEntry', async () => {
    const sent = await run('publish', { source: 'gatehouse', grantId: 'g-1' });
    expect(sent).toMatchObject({ FailedEntryCount: 0, Entries: [{ EventId: 'ev-1' }] });
    expect(eventCalls.at(-1)).toMatchObject({ Entries: [{ Source: 'gatehouse', Detail: '{"grantId":"g-1"}', EventBusName: 'gatehouse' }] });
    const { failure } = (await run('publish', { source: 'bad', grantId: 'g-2' })) as { failure: { Error: string; Cause: string } };
    expect(failure.Error).toBe('EventBridge.FailedEntry');
    expect(JSON.parse(failure.Cause)).toMatchObject({ FailedEntryCount: 1 });
  });

  it('starts a child execution with states:startExecution and names a reused name StepFunctions.ExecutionAlreadyExistsException', async () => {
    const started = await run('parent', { childName: 'child-1', n: 1 });
    expect(started.ExecutionArn).toBe(stateMachineArn('child').replace(':stateMachine:', ':execution:') + ':child-1');
    expect((await finished(client, started.ExecutionArn as string)).input).toBe('{"n":1}');
    const { failure } = (await run('parent', { childName: 'child-1', n: 2 })) as { failure: { Error: string } };
    expect(failure.Error).toBe('StepFunctions.ExecutionAlreadyExistsException');
  });

  it('speaks PascalCase to aws-sdk:sfn both ways, though the SFN API is camelCase', async () => {
    const child = stateMachineArn('child').replace(':stateMachine:', ':execution:');
    await run('parent', { childName: 'child-2', n: 2 });
    const described = await run('describe', { arn: `${child}:child-2` });
    expect(described).toMatchObject({ ExecutionArn: `${child}:child-2`, Status: 'SUCCEEDED', Input: '{"n":2}' });
    expect(typeof described.StartDate).toBe('string');
    const { failure } = (await run('describe', { arn: `${child}:never` })) as { failure: { Error: string } };
    expect(failure.Error).toBe('Sfn.ExecutionDoesNotExistException');
  });
});

describe('local Step Functions: integration names', () => {
  it.each([
    ['identitystore', 'ConflictException', 'IdentityStore.ConflictException'],
    ['scheduler', 'ResourceNotFoundException', 'Scheduler.ResourceNotFoundException'],
    ['sfn', 'ExecutionAlreadyExists', 'Sfn.ExecutionAlreadyExistsException'],
    ['dynamodb', 'ConditionalCheckFailedException', 'DynamoDb.ConditionalCheckFailedException'],
    ['sesv2', 'MessageRejected', 'SesV2.MessageRejectedException'],
  ] as const)('names %s %s as %s', (service, code, expected) => {
    expect(awsSdkError(service, serviceError(code, 'no')).name).toBe(expected);
  });

  it('reports EC2 errors as the generic Ec2.Ec2Exception, keeping the EC2 code in the cause', () => {
    const error = awsSdkError('ec2', serviceError('InvalidInstanceID.NotFound', "The instance ID 'i-1' does not exist"));
    expect(error.name).toBe('Ec2.Ec2Exception');
    expect(error.message).toContain("The instance ID 'i-1' does not exist");
    expect(error.message).toContain('Error Code: InvalidInstanceID.NotFound');
  });

  it('fails with States.TaskFailed when the call never reached the service', () => {
    expect(integrationError('Scheduler', new Error('connect ECONNREFUSED')).name).toBe('States.TaskFailed');
  });

  it('maps Task resources to integrations and explains the ones it cannot run', () => {
    expect(parseResource('arn:aws:states:::lambda:invoke.waitForTaskToken')).toEqual({ integration: { kind: 'lambda-invoke' }, callback: true });
    expect(parseResource('arn:aws:states:::aws-sdk:identitystore:createUser')).toEqual({
      integration: { kind: 'aws-sdk', service: 'identitystore', action: 'createUser' },
      callback: false,
    });
    expect(parseResource('arn:aws:lambda:us-east-1:000000000000:function:gatehouse-x:live')).toMatchObject({
      integration: { kind: 'lambda-function' },
    });
    expect(parseResource('arn:aws:states:::aws-sdk:s3:getObject')).toMatch(/not supported/);
    expect(parseResource('arn:aws:states:::dynamodb:putItem.waitForTaskToken')).toMatch(/not supported/);
  });
});

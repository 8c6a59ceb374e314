import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { functionFolders } from '../../infra/constructs/functions.ts';
import { FUNCTIONS, requiredEnv } from '../../infra/spec/functions.ts';
import { substitutionKeys } from '../../infra/spec/substitutions.ts';
import { TABLES, tableEnvVar } from '../../infra/spec/tables.ts';
import { EVENT_RULES, ROUTES, STATE_MACHINES } from '../../infra/spec/wiring.ts';
import { REPO_ROOT } from '../../infra/gatehouse.ts';
import { asList, DEPLOY_CONTEXT, ofType, policyStatements, readAsl, referencedId, synthGatehouse, type Synthesised } from './synth.ts';
import { functionLogicalId, keySchema, stateMachineResource, tableLogicalId, taskFunctionKeys } from './template.ts';

let synth: Synthesised;
beforeAll(() => {
  synth = synthGatehouse();
  console.info(`infra: construct + synth (bundling skipped) took ${synth.elapsedMs} ms; ${Object.keys(synth.resources).length} resources`);
}, 180_000);

const FOLDERS = functionFolders(REPO_ROOT);
const COMMON_ENV = ['CATALOGUE_SOURCE', 'NODE_OPTIONS', 'POWERTOOLS_LOG_LEVEL', 'POWERTOOLS_SERVICE_NAME'];

const functionId = (folder: string): string => functionLogicalId(synth.resources, folder);
const tableId = (name: string): string => tableLogicalId(synth.resources, name);
const stateMachine = (name: string) => stateMachineResource(synth.resources, name);

/** Gatehouse's own functions: not aws-cdk-lib's deploy-time handler of the console upload (BucketDeployment). */
const gatehouseFunctions = () => ofType(synth.resources, 'AWS::Lambda::Function').filter(([id]) => !id.startsWith('CustomCDKBucketDeployment'));

describe('cdk-nag', () => {
  it('reports no unacknowledged AwsSolutions finding, and every acknowledgement carries a reason', () => {
    const report = JSON.parse(readFileSync(join(synth.outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: { pluginName: string; conclusion: string; violations: unknown[]; suppressedViolations?: { ruleName: string; reason: string }[] }[];
    };
    const nag = report.pluginReports.find((plugin) => plugin.pluginName === 'AwsSolutions');
    expect(nag?.conclusion).toBe('success');
    expect(nag?.violations).toEqual([]);
    const acknowledged = nag?.suppressedViolations ?? [];
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const suppressed of acknowledged) expect(suppressed.reason.length, suppressed.ruleName).toBeGreaterThanOrEqual(40);
  });
});

describe('DynamoDB', () => {
  it('creates every table of the spec: on demand, PITR, deletion protection, encrypted, retained, TTL only where specified', () => {
    expect(ofType(synth.resources, 'AWS::DynamoDB::Table')).toHaveLength(TABLES.length);
    for (const spec of TABLES) {
      synth.template.hasResource('AWS::DynamoDB::Table', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: {
          KeySchema: keySchema(spec.partitionKey.name, spec.sortKey?.name),
          BillingMode: 'PAY_PER_REQUEST',
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          DeletionProtectionEnabled: true,
          SSESpecification: { SSEEnabled: true },
          GlobalSecondaryIndexes: spec.indexes.length > 0 ? spec.indexes.map((index) => Match.objectLike({ IndexName: index.name })) : Match.absent(),
          TimeToLiveSpecification: spec.ttlAttribute ? { AttributeName: spec.ttlAttribute, Enabled: true } : Match.absent(),
        },
      });
    }
  });

  it('turns point-in-time recovery on for every table in the template', () => {
    for (const [id, table] of ofType(synth.resources, 'AWS::DynamoDB::Table')) {
      expect(table.Properties?.PointInTimeRecoverySpecification, id).toEqual({ PointInTimeRecoveryEnabled: true });
    }
  });

  it('lets no role update or delete audit entries; the audit write path is PutItem only', () => {
    const audit = tableId('audit');
    const forbidden = /^dynamodb:(\*|UpdateItem|DeleteItem|BatchWriteItem|PartiQLUpdate|PartiQLDelete|PartiQL\*|DeleteTable|UpdateTable)$/;
    const touchesAudit = (resource: unknown): boolean => resource === '*' || JSON.stringify(resource).includes(`"${audit}"`);
    let puts = 0;
    for (const { roles, statement } of policyStatements(synth.resources)) {
      if (!asList(statement.Resource).some(touchesAudit)) continue;
      const actions = asList(statement.Action).filter((action) => action.startsWith('dynamodb:'));
      expect(actions.filter((action) => forbidden.test(action)), `${roles.join(',')}`).toEqual([]);
      if (actions.includes('dynamodb:PutItem')) puts += 1;
    }
    expect(puts).toBeGreaterThan(0);
  });
});

describe('IAM', () => {
  it('grants no wildcard action and attaches no managed policy', () => {
    const statements = policyStatements(synth.resources);
    expect(statements.length).toBeGreaterThan(0);
    for (const { roles, statement } of statements) {
      expect(asList(statement.Action).filter((action) => action.includes('*')), roles.join(',')).toEqual([]);
      expect(statement.Effect).toBe('Allow');
    }
    for (const [id, role] of ofType(synth.resources, 'AWS::IAM::Role')) expect(role.Properties?.ManagedPolicyArns, id).toBeUndefined();
  });

  it('conditions every EC2 call that creates or changes instances and volumes on the gatehouse:managed tag', () => {
    const mutating = /^ec2:(CreateVolume|AttachVolume|DetachVolume|DeleteVolume|StopInstances|TerminateInstances|CreateSnapshot)$/;
    let checked = 0;
    for (const { statement } of policyStatements(synth.resources)) {
      const actions = asList(statement.Action);
      const resources = JSON.stringify(statement.Resource);
      const onInstances = actions.includes('ec2:RunInstances') && resources.includes(':instance/*');
      if (!onInstances && !actions.some((action) => mutating.test(action))) continue;
      if (actions.includes('ec2:CreateSnapshot') && resources.includes('snapshot/*') && !resources.includes('volume/*')) continue;
      const condition = JSON.stringify(statement.Condition ?? {});
      expect(condition, `${actions.join(',')} on ${resources}`).toMatch(/(aws:RequestTag|ec2:ResourceTag)\/gatehouse:managed/);
      checked += 1;
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('scopes Identity Store calls to the configured store', () => {
    const statements = policyStatements(synth.resources).filter(({ statement }) => asList(statement.Action).some((a) => a.startsWith('identitystore:')));
    expect(statements.length).toBeGreaterThan(0);
    for (const { statement } of statements) {
      expect(JSON.stringify(statement.Resource)).toContain(`:identitystore::${DEPLOY_CONTEXT.account}:identitystore/${DEPLOY_CONTEXT.identityStoreId}`);
    }
  });

  it('lets only hris-webhook read the HRIS secrets, and only approval-request, notify, record-time-bound-grants (break-glass to the channel), record-outcome and cancel-pending-work (closed approvals rewritten) and slack-interactions read the Slack app secret', () => {
    const names: string[] = [];
    const secretIds = ofType(synth.resources, 'AWS::SecretsManager::Secret').map(([id, secret]) => {
      names.push(String(secret.Properties?.Name));
      return [id, String(secret.Properties?.Name)] as const;
    });
    expect(names.sort()).toEqual([
      'gatehouse/hris/bamboohr', 'gatehouse/hris/bamboohr/api', 'gatehouse/hris/generic', 'gatehouse/hris/hibob',
      'gatehouse/hris/hibob/api', 'gatehouse/hris/personio', 'gatehouse/hris/personio/api', 'gatehouse/slack',
    ]);
    const hrisIds = secretIds.filter(([, name]) => name.startsWith('gatehouse/hris/')).map(([id]) => id).sort();
    const slackIds = secretIds.filter(([, name]) => name === 'gatehouse/slack').map(([id]) => id);
    const readers = policyStatements(synth.resources).filter(({ statement }) => asList(statement.Action).some((a) => a.startsWith('secretsmanager:')));
    const roleOf = (folder: string) => referencedId(synth.resources[functionId(folder)]?.Properties?.Role);
    const byResources = (ids: string[]) => readers.filter(({ statement }) => JSON.stringify(asList(statement.Resource).map(referencedId).sort()) === JSON.stringify(ids));
    expect(readers.every(({ statement }) => JSON.stringify(asList(statement.Action)) === '["secretsmanager:GetSecretValue"]')).toBe(true);
    expect(byResources(hrisIds).flatMap(({ roles }) => roles)).toEqual([roleOf('hris-webhook')]);
    expect(byResources(slackIds).flatMap(({ roles }) => roles).sort()).toEqual([roleOf('approval-request'), roleOf('cancel-pending-work'), roleOf('notify'), roleOf('record-outcome'), roleOf('record-time-bound-grants'), roleOf('slack-interactions')].sort());
    expect(readers).toHaveLength(7);
  });

  it('lets provision-identity read and update employee items, never put them, and compensate-provisioning only read them', () => {
    const employees = tableId('employees');
    const employeeActions = (folder: string): string[] => {
      const role = referencedId(synth.resources[functionId(folder)]?.Properties?.Role);
      return policyStatements(synth.resources)
        .filter(({ roles, statement }) => role !== undefined && roles.includes(role) && JSON.stringify(statement.Resource).includes(`"${employees}"`))
        .flatMap(({ statement }) => asList(statement.Action))
        .sort();
    };
    const reads = ['dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:GetItem', 'dynamodb:Query'];

    expect(employeeActions('provision-identity')).toEqual([...reads, 'dynamodb:UpdateItem']);
    expect(employeeActions('compensate-provisioning')).toEqual(reads);
  });

  it('sends mail only from the configured sender', () => {
    const senders = policyStatements(synth.resources).filter(({ statement }) => asList(statement.Action).includes('ses:SendEmail'));
    expect(senders.length).toBeGreaterThan(0);
    for (const { statement } of senders) {
      expect(statement.Condition).toEqual({ StringEquals: { 'ses:FromAddress': DEPLOY_CONTEXT.senderEmail } });
    }
  });
});

describe('functions', () => {
  it('builds one arm64, current-runtime, traced function per declared folder, each with its own log group and role', () => {
    const declared = FUNCTIONS.filter((spec) => FOLDERS.includes(spec.name));
    expect(gatehouseFunctions()).toHaveLength(declared.length);
    for (const spec of declared) {
      const fn = synth.resources[functionId(spec.name)]?.Properties ?? {};
      expect(fn.Runtime).toBe('nodejs24.x');
      expect(fn.Architectures).toEqual(['arm64']);
      expect(fn.TracingConfig).toEqual({ Mode: 'Active' });
      expect(referencedId((fn.LoggingConfig as { LogGroup?: unknown } | undefined)?.LogGroup)).toBeDefined();
      expect(fn.Timeout).toBe(spec.timeoutSeconds ?? 30);
    }
  });

  it('gives every function exactly the environment its spec requires, nothing more', () => {
    for (const spec of FUNCTIONS.filter((candidate) => FOLDERS.includes(candidate.name))) {
      const variables = (synth.resources[functionId(spec.name)]?.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
      const expected = requiredEnv(spec, tableEnvVar).filter((name) => name !== 'WORKSTATION_AVAILABILITY_ZONE');
      expect(Object.keys(variables).sort(), spec.name).toEqual([...expected, ...COMMON_ENV].sort());
    }
  });

  it('hands every function the catalogue as one S3 object (the file asset, by content hash) and lets it read that object only', () => {
    const outputs = (synth.template.toJSON() as { Outputs: Record<string, { Value: unknown }> }).Outputs;
    const version = outputs.CatalogueVersion?.Value;
    expect(version).toMatch(/^cat-[0-9a-f]{16}$/);
    const statements = policyStatements(synth.resources);
    for (const folder of FOLDERS) {
      const props = synth.resources[functionId(folder)]?.Properties;
      const source = JSON.stringify((props?.Environment as { Variables: Record<string, unknown> }).Variables.CATALOGUE_SOURCE);
      expect(source, folder).toMatch(/^"s3:\/\/cdk-[a-z0-9]+-assets-123456789012-eu-west-1\/[0-9a-f]{64}\.json"$/);
      const role = referencedId(props?.Role) ?? '';
      const onS3 = statements.filter(({ roles, statement }) => roles.includes(role) && asList(statement.Action).some((a) => a.startsWith('s3:')));
      expect(onS3.map(({ statement }) => statement.Action), folder).toEqual(['s3:GetObject']);
      expect(JSON.stringify(onS3[0]?.statement.Resource), folder).toContain((JSON.parse(source) as string).slice('s3://'.length));
    }
  });

  it('points the LEAVER_STATE_MACHINE_ARN of schedule-deprovisioning at gatehouse-leaver, before the leaver exists', () => {
    const env = (synth.resources[functionId('schedule-deprovisioning')]?.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(JSON.stringify(env.LEAVER_STATE_MACHINE_ARN)).toContain(':stateMachine:gatehouse-leaver');
  });

  it('lets schedule-leave get, create, update and delete schedules in the gatehouse group only, passing the scheduler role, and targets gatehouse-leaver', () => {
    const props = synth.resources[functionId('schedule-leave')]?.Properties;
    const env = (props?.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(JSON.stringify(env.LEAVER_STATE_MACHINE_ARN)).toContain(':stateMachine:gatehouse-leaver');
    const role = referencedId(props?.Role) ?? '';
    const statements = policyStatements(synth.resources).filter(({ roles }) => roles.includes(role)).map(({ statement }) => statement);
    const onSchedules = statements.filter((statement) => asList(statement.Action).some((action) => action.startsWith('scheduler:')));
    expect(onSchedules.map((statement) => asList(statement.Action).sort())).toEqual([
      ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule', 'scheduler:GetSchedule', 'scheduler:UpdateSchedule'],
    ]);
    expect(JSON.stringify(onSchedules[0]?.Resource)).toContain(':schedule/gatehouse/*');
    const passRole = statements.filter((statement) => asList(statement.Action).includes('iam:PassRole'));
    expect(passRole).toHaveLength(1);
    expect(referencedId(passRole[0]?.Resource)).toBe(referencedId(env.SCHEDULER_ROLE_ARN));
    expect(statements.flatMap((statement) => asList(statement.Action)).filter((action) => action.startsWith('states:'))).toEqual([]);
  });

  it('routes employee.leave.cancelled to the event router, and the leaver invokes schedule-leave', () => {
    synth.template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['gatehouse.hris'], 'detail-type': Match.arrayWith(['employee.left', 'employee.leave.cancelled']) },
    });
    expect(taskFunctionKeys(JSON.parse(readAsl('leaver')))).toContain('ScheduleLeaveFunctionArn');
  });

  it('points the MOVER_STATE_MACHINE_ARN of event-router at gatehouse-mover, and gives prepare-move the overlap window', () => {
    const variables = (folder: string) => (synth.resources[functionId(folder)]?.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(JSON.stringify(variables('event-router').MOVER_STATE_MACHINE_ARN)).toContain(':stateMachine:gatehouse-mover');
    expect(variables('prepare-move').MOVER_OVERLAP_SECONDS).toBe('0');
  });

  it('gives asynchronously invoked functions an SQS dead-letter queue and the others none', () => {
    for (const spec of FUNCTIONS.filter((candidate) => FOLDERS.includes(candidate.name))) {
      const dlq = synth.resources[functionId(spec.name)]?.Properties?.DeadLetterConfig;
      if (spec.invokedBy === 'eventbridge' || spec.invokedBy === 'scheduler') expect(dlq, spec.name).toBeDefined();
      else expect(dlq, spec.name).toBeUndefined();
    }
  });
});

describe('HTTP API', () => {
  it('maps every route to its function', () => {
    const routes = ofType(synth.resources, 'AWS::ApiGatewayV2::Route');
    expect(routes).toHaveLength(ROUTES.length);
    for (const route of ROUTES) {
      const found = routes.find(([, r]) => r.Properties?.RouteKey === `${route.method} ${route.path}`);
      expect(found, `${route.method} ${route.path}`).toBeDefined();
      const target = JSON.stringify(found?.[1].Properties?.Target);
      const integration = ofType(synth.resources, 'AWS::ApiGatewayV2::Integration').find(([id]) => target.includes(`"${id}"`));
      expect(referencedId(integration?.[1].Properties?.IntegrationUri), `${route.method} ${route.path}`).toBe(functionId(route.function));
    }
  });

  it('throttles the stage and writes access logs', () => {
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('"status":"\\$context.status"') },
    });
  });
});

describe('events and scheduling', () => {
  it('routes each EventBridge rule on the gatehouse bus to its function, with retries and a dead-letter queue', () => {
    synth.template.hasResourceProperties('AWS::Events::EventBus', { Name: 'gatehouse' });
    for (const rule of EVENT_RULES) {
      synth.template.hasResourceProperties('AWS::Events::Rule', {
        Name: `gatehouse-${rule.name}`,
        EventPattern: { source: [...rule.eventPattern.source], 'detail-type': [...rule.eventPattern['detail-type']] },
        Targets: [
          Match.objectLike({
            Arn: { 'Fn::GetAtt': [functionId(rule.targetFunction), 'Arn'] },
            DeadLetterConfig: { Arn: Match.anyValue() },
            RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 8 }),
          }),
        ],
      });
    }
  });

  it('lets schedules start only the leaver, time-bound and access-review (recurring reviews) workflows, through a role only the gatehouse group may assume', () => {
    synth.template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'gatehouse' });
    const env = (synth.resources[functionId('schedule-deprovisioning')]?.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
    const roleId = referencedId(env.SCHEDULER_ROLE_ARN) ?? '';
    const role = synth.resources[roleId]?.Properties ?? {};
    expect(JSON.stringify(role.AssumeRolePolicyDocument)).toContain('scheduler.amazonaws.com');
    expect(JSON.stringify(role.AssumeRolePolicyDocument)).toContain('aws:SourceAccount');
    const statements = policyStatements(synth.resources).filter(({ roles }) => roles.includes(roleId));
    expect(statements.map(({ statement }) => statement.Action)).toEqual(['states:StartExecution']);
    const resources = JSON.stringify(statements[0]?.statement.Resource);
    expect(resources).toContain(':stateMachine:gatehouse-leaver');
    expect(resources).toContain(':stateMachine:gatehouse-time-bound');
    expect(resources).toContain(':stateMachine:gatehouse-access-review');
    expect(resources.match(/:stateMachine:gatehouse-[a-z-]+/g)?.sort()).toEqual([
      ':stateMachine:gatehouse-access-review',
      ':stateMachine:gatehouse-leaver',
      ':stateMachine:gatehouse-time-bound',
    ]);
  });

  it('schedules the daily reconciliation only when functions/reconcile exists', () => {
    const schedules = ofType(synth.resources, 'AWS::Scheduler::Schedule');
    expect(schedules).toHaveLength(FOLDERS.includes('reconcile') ? 1 : 0);
  });
});

describe('state machines', () => {
  it.each([...STATE_MACHINES])('%s: inline definition with every ${...} substitution provided', (name) => {
    const asl = readAsl(name);
    const { props } = stateMachine(name);
    expect(props.DefinitionString).toBe(asl);
    const substitutions = props.DefinitionSubstitutions as Record<string, unknown>;
    for (const key of substitutionKeys(asl)) expect(substitutions[key], key).toBeDefined();
  });

  it.each([...STATE_MACHINES])('%s: the role may invoke exactly the functions its Task states name', (name) => {
    const { props } = stateMachine(name);
    const substitutions = props.DefinitionSubstitutions as Record<string, unknown>;
    const expected = taskFunctionKeys(JSON.parse(readAsl(name))).map((key) => referencedId(substitutions[key]));
    const roleId = referencedId(props.RoleArn) ?? '';
    const invokable = policyStatements(synth.resources)
      .filter(({ roles, statement }) => roles.includes(roleId) && asList(statement.Action).includes('lambda:InvokeFunction'))
      .flatMap(({ statement }) => asList(statement.Resource).map(referencedId));
    expect(expected.length).toBeGreaterThan(0);
    expect([...new Set(invokable)].sort()).toEqual([...new Set(expected)].sort());
  });

  it.each([...STATE_MACHINES])('%s: logs all events without execution data, traced', (name) => {
    const { props } = stateMachine(name);
    expect(props.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: false });
    expect(props.TracingConfiguration).toEqual({ Enabled: true });
  });
});

describe('operations', () => {
  it('alarms on failed executions, function errors, dead letters and HTTP 429s, all to the encrypted operator topic', () => {
    const monitoring = synth.monitoring;
    monitoring.template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    monitoring.template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: DEPLOY_CONTEXT.operatorEmail });
    expect(ofType(synth.resources, 'AWS::CloudWatch::Alarm')).toEqual([]);
    const alarms = ofType(monitoring.resources, 'AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties ?? {});
    const metric = (name: string) => alarms.filter((alarm) => alarm.MetricName === name);
    expect(metric('ExecutionsFailed')).toHaveLength(STATE_MACHINES.length);
    expect(metric('Errors')).toHaveLength(gatehouseFunctions().length);
    expect(metric('ApproximateNumberOfMessagesVisible')).toHaveLength(ofType(synth.resources, 'AWS::SQS::Queue').length);
    expect(metric('HttpApiThrottled')).toHaveLength(1);
    synth.template.hasResourceProperties('AWS::Logs::MetricFilter', { FilterPattern: '{ $.status = 429 }', MetricTransformations: [Match.objectLike({ MetricName: 'HttpApiThrottled' })] });
    for (const alarm of alarms) expect(alarm.AlarmActions).toHaveLength(1);
  });
});

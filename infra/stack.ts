import { Annotations, CfnOutput, NestedStack, Stack, type StackProps } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import type { Construct } from 'constructs';
import type { GatehouseConfig } from './config.ts';
import { Api } from './constructs/api.ts';
import { ConsoleHosting } from './constructs/console.ts';
import { AuditExports } from './constructs/audit-exports.ts';
import { DataTables } from './constructs/data.ts';
import { Events } from './constructs/events.ts';
import { Functions } from './constructs/functions.ts';
import { accountAssignmentTargets } from './constructs/permissions.ts';
import { pascal, stateMachineArn } from './constructs/names.ts';
import { Operations } from './constructs/operations.ts';
import { HRIS_SECRET_PREFIX, HrisSecrets, SlackSecret } from './constructs/secrets.ts';
import { Scheduling } from './constructs/scheduling.ts';
import { Workflows } from './constructs/workflows.ts';
import { acknowledgeWildcards } from './constructs/wildcards.ts';
import { TABLES, tableEnvVar } from './spec/tables.ts';
import { ROUTES, SCHEDULE_GROUP_NAME } from './spec/wiring.ts';
import type { TableName } from './spec/functions.ts';

export interface GatehouseStackProps extends StackProps {
  config: GatehouseConfig;
  /** The console's build (web/dist), uploaded to the site bucket. */
  consoleDist: string;
  /** Repository root: functions/, statemachines/, package-lock.json. */
  root: string;
}

/**
 * Gatehouse in one stack. Order matters only where a value must exist first: the bus,
 * the scheduler role and the API come before the functions (their env names them), routes,
 * rules and state machines after. State machine ARNs are deterministic (names.ts), so
 * functions and workflows never reference each other in a cycle.
 */
export class GatehouseStack extends Stack {
  readonly functions: Functions;
  readonly workflows: Workflows;
  /** The nested stack of alarms and the operator topic. */
  readonly monitoring: NestedStack;

  constructor(scope: Construct, id: string, props: GatehouseStackProps) {
    super(scope, id, props);
    const { config, root } = props;
    const logRetention = config.logRetentionDays as RetentionDays;

    for (const key of config.placeholders) {
      Annotations.of(this).addWarningV2(`gatehouse:placeholder-${key}`, `context ${key} is not set: using a placeholder; set it before deploying (docs/deploy.md)`);
    }

    const data = new DataTables(this, 'Data');
    new AuditExports(this, 'AuditExports', { auditTable: data.tables.audit });
    const secrets = new HrisSecrets(this, 'HrisSecrets');
    const slackSecret = new SlackSecret(this, 'SlackSecret');
    const events = new Events(this, 'Events');
    const scheduling = new Scheduling(this, 'Scheduling');
    const api = new Api(this, 'Api', { rateLimit: config.apiRateLimit, burstLimit: config.apiBurstLimit, logRetention });

    const tableNames = Object.fromEntries(TABLES.map((t) => [t.name, data.tables[t.name].tableName])) as Record<TableName, string>;
    const values: Record<string, string | undefined> = {
      EVENT_BUS_NAME: events.bus.eventBusName,
      HRIS_SECRET_PREFIX,
      SLACK_SECRET_NAME: slackSecret.secret.secretName,
      IDENTITY_STORE_ID: config.identityStoreId,
      APPROVAL_BASE_URL: config.approvalBaseUrl ?? api.url,
      MAIL_FROM: config.senderEmail,
      OPERATOR_EMAIL: config.operatorEmail,
      NOTIFICATIONS_OFF: config.notificationsOff,
      ENDING_SOON_LEAD: config.endingSoonLead,
      WORKSTATION_SUBNET_ID: config.workstationSubnetId,
      WORKSTATION_SECURITY_GROUP_ID: config.workstationSecurityGroupId,
      WORKSTATION_AVAILABILITY_ZONE: config.workstationAvailabilityZone,
      PROVISION_LEAD_HOURS: String(config.provisionLeadHours),
      APPROVAL_TIMEOUT_SECONDS: String(config.approvalTimeoutSeconds),
      MAX_REMOVAL_SHARE: String(config.maxRemovalShare),
      OPERATOR_GROUP: config.operatorGroup,
      AUDITOR_GROUP: config.auditorGroup,
      MOVER_OVERLAP_SECONDS: String(config.moverOverlapSeconds),
      SSO_INSTANCE_ARN: config.identityCenterInstanceArn,
      SCHEDULE_GROUP_NAME,
      SCHEDULER_ROLE_ARN: scheduling.schedulerRole.roleArn,
      ...Object.fromEntries(TABLES.map((t) => [tableEnvVar(t.name), tableNames[t.name]])),
    };
    const env = (name: string): string | undefined => {
      const machine = /^([A-Z0-9_]+)_STATE_MACHINE_ARN$/.exec(name)?.[1];
      if (machine) return stateMachineArn(this, machine.toLowerCase().replaceAll('_', '-'));
      if (!(name in values)) throw new Error(`infra/spec/functions.ts asks for env ${name}, which infra/stack.ts does not provide`);
      return values[name];
    };

    // The catalogue as a file asset: `cdk deploy` uploads it under its content hash, so each version is
    // its own object and a new version is a new CATALOGUE_SOURCE, hence a cold start that loads it.
    const catalogueAsset = new Asset(this, 'RoleCatalogue', { path: config.catalogueFilePath });
    this.functions = new Functions(this, 'Functions', {
      root,
      env,
      logRetention,
      catalogue: { bucketName: catalogueAsset.s3BucketName, objectKey: catalogueAsset.s3ObjectKey },
      permissions: {
        tables: data.tables,
        identityStoreArn:
          config.identityStoreArn ?? this.formatArn({ service: 'identitystore', region: '', resource: 'identitystore', resourceName: config.identityStoreId }),
        workstation: { subnetId: config.workstationSubnetId, securityGroupId: config.workstationSecurityGroupId, vpcId: config.workstationVpcId },
        amiParameters: config.catalogue.entitlements.flatMap((e) => (e.kind === 'workstation' ? [e.amiParameter] : [])),
        eventBusArn: events.bus.eventBusArn,
        hrisSecretArns: secrets.arns,
        slackSecretArn: slackSecret.secret.secretArn,
        senderEmail: config.senderEmail,
        schedulerRoleArn: scheduling.schedulerRole.roleArn,
        sso: accountAssignmentTargets(config.identityCenterInstanceArn, config.catalogue),
      },
    });
    const audiences = config.oidcAudience?.split(',');
    api.addRoutes(this.functions, config.oidcIssuer && audiences ? { issuer: config.oidcIssuer, audiences } : undefined);
    events.addRules(this.functions);
    scheduling.addReconciliation(this.functions, config.reconcileSchedule);
    this.workflows = new Workflows(this, 'Workflows', {
      root,
      functions: this.functions,
      tableNames,
      globals: { EventBusName: events.bus.eventBusName, ScheduleGroupName: SCHEDULE_GROUP_NAME, SchedulerRoleArn: scheduling.schedulerRole.roleArn },
      logRetention,
    });

    // Alarms live in a nested stack: one per function, state machine and queue, they would otherwise take a
    // third of the 500-resource quota of the main stack (cloudformation-limits.html). CDK passes the names
    // they watch as the nested stack's parameters (at most 200 per template, asserted at synth).
    this.monitoring = new NestedStack(this, 'Monitoring', { description: 'Gatehouse alarms and the operator topic' });
    const operations = new Operations(this.monitoring, 'Operations', {
      operatorEmail: config.placeholders.includes('operatorEmail') ? undefined : config.operatorEmail,
    });
    for (const [name, machine] of this.workflows.stateMachines) operations.watchStateMachine(name, machine);
    for (const [name, fn] of this.functions.functions) operations.watchFunction(name, fn);
    for (const [name, queue] of this.functions.deadLetterQueues) operations.watchDeadLetters(name, queue);
    for (const [name, queue] of scheduling.deadLetterQueues) operations.watchDeadLetters(name, queue);
    operations.watchDeadLetters('event-delivery', events.deliveryDeadLetters);
    operations.watchThrottling(api.throttledRequests);
    const reconcile = this.functions.functions.get('reconcile');
    if (reconcile) operations.watchReconcileGuard(reconcile);

    if (config.oidcIssuer) {
      // The console's routes go to the API under the console's own origin: every JWT route's first path segment.
      const apiPaths = [...new Set(ROUTES.filter((r) => 'auth' in r && r.auth === 'jwt').map((r) => `/${r.path.split('/')[1]}*`))];
      const console = new ConsoleHosting(this, 'Console', {
        distDir: props.consoleDist,
        apiEndpoint: api.url,
        apiPaths,
        config: { issuer: config.oidcIssuer, clientId: config.consoleClientId, scope: 'openid email profile', operatorGroup: config.operatorGroup, auditorGroup: config.auditorGroup },
      });
      new CfnOutput(this, 'ConsoleUrl', { value: `https://${console.distribution.distributionDomainName}/`, description: 'The Gatehouse console; register <ConsoleUrl>callback as the OIDC client redirect URI' });
    }
    new CfnOutput(this, 'ApiUrl', { value: api.url, description: 'HRIS webhooks: POST <ApiUrl>/hris/{source}' });
    new CfnOutput(this, 'OperatorTopicArn', { value: operations.topic.topicArn });
    new CfnOutput(this, 'CatalogueVersion', { value: config.catalogueVersion, description: `role catalogue ${config.catalogueFile} (content hash)` });
    for (const table of TABLES) new CfnOutput(this, `${pascal(table.name)}TableName`, { value: tableNames[table.name] });
    for (const [name, machine] of this.workflows.stateMachines) new CfnOutput(this, `${pascal(name)}StateMachineArn`, { value: machine.stateMachineArn });

    // Last: every role policy is complete now.
    acknowledgeWildcards(this);
  }
}

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient, StartExecutionCommand, ExecutionAlreadyExists } from '@aws-sdk/client-sfn';
import { EVENT_RULES, STATE_MACHINES } from '../infra/spec/wiring.ts';
import { substitutionKeys, applySubstitutions } from '../infra/spec/substitutions.ts';
import { functionArn, stateMachineArn } from './core/arn.ts';
import type { EmulatorContext, Emulator } from './core/emulator.ts';
import { FaultInjector, type FaultRuleInput } from './core/faults.ts';
import { startHttpServer, type HttpRequest, type HttpResponse, type RequestHandler, type RunningServer } from './core/http.ts';
import { ensureTables, pickFreePort, startDynamoDbLocal } from './dynamodb-local.ts';
import { createEc2Emulator } from './emulators/ec2.ts';
import { createEventBridgeEmulator } from './emulators/events.ts';
import { createIdentityStoreEmulator } from './emulators/identitystore.ts';
import { createSchedulerEmulator } from './emulators/scheduler.ts';
import type { EmulatorClock } from './core/emulator-clock.ts';
import { createSecretsManagerEmulator } from './emulators/secretsmanager.ts';
import { createSsoAdminEmulator } from './emulators/sso-admin.ts';
import type { TargetPorts } from './emulators/targets.ts';
import { DEFAULT_BASE_PORT, endpointsEnvFile, LOCAL_AWS_ENV, portFor, SERVICES, type ServiceId } from './endpoints.ts';
import { CONSOLE_CALLBACK_PATH, CONSOLE_CLIENT_ID, AUDITOR_GROUP_DEFAULT } from '../infra/spec/console.ts';
import { WEB_DIST } from '../tools/console-build.ts';
import { demoPeople } from './console-people.ts';
import { consoleSite } from './console-site.ts';
import { frontDoor } from './front-door.ts';
import { HRIS_SECRET_PREFIX, LOCAL_IDENTITY_STORE_ID, LOCAL_SSO_INSTANCE_ARN, LOCAL_OPERATOR_GROUP, LOCAL_SCHEDULER_ROLES, LOCAL_SLACK_CHANNEL, SLACK_SECRET_NAME, localFunctionEnv, localSubstitution, tableName, type LocalNames } from './function-env.ts';
import { jwtAuthorizer } from './jwt-authorizer.ts';
import { LocalLambdaRuntime } from './lambda-runtime.ts';
import { createLocalIssuer, type TokenRequest } from './oidc.ts';
import { oidcRoutes } from './oidc-routes.ts';
import { controlRoutes } from './control.ts';
import { startSesLocal } from './ses-local.ts';
import { SlackStandIn } from './slack/stand-in.ts';
import { standInCredentials } from './slack/credentials.ts';
import { DEMO_PERSONAS } from './console-people.ts';
import { createSfnEmulator } from './sfn/service.ts';
import { localTableSpecs } from './tables.ts';
import { localPermissionSets, seedIdentityCenterGroups, seedScheduleGroup } from './seed.ts';
import { bootLocalHris, hrisApiSeed } from './hris/boot.ts';
import type { LocalHris } from './hris/server.ts';
import { localCatalogueFile, readLocalCatalogue } from './catalogue.ts';
import type { DeployedCatalogue } from '../functions/lib/runtime/catalogue-source.ts';

export interface LocalCloudOptions {
  /** Persist everything under this folder (DynamoDB files, emulator state); omit for memory only. */
  dataDir?: string;
  /** First port (services take base..base+9); 0 picks free ports (tests). */
  basePort?: number;
  /** Use an already running DynamoDB Local instead of starting one (tests share one). */
  dynamodbEndpoint?: string;
  /** Use an already running SES stand-in (its mails then outlive this cloud, e.g. across a crash test's SIGKILL). */
  sesEndpoint?: string;
  /** Table name prefix (default `gatehouse-`), so tests sharing a DynamoDB Local don't collide. */
  tablePrefix?: string;
  faults?: FaultRuleInput[];
  /** Multiplies every Step Functions Retry backoff (default 1); tests compress time with e.g. 0.05. */
  retryDelayScale?: number;
  /** The clock the Scheduler fires schedules on (default the system clock); tests compress it to fire a quarter's rate() in seconds. */
  schedulerClock?: EmulatorClock;
  /** How long a local HRIS `timeout` fault holds its response (default 30 s). */
  hrisHangMs?: number;
  /** How long EC2 instances stay `pending` (default 2000 ms). */
  ec2PendingMs?: number;
  /** How long an EBS snapshot stays pending (default ec2PendingMs; env GATEHOUSE_EC2_SNAPSHOT_MS). */
  ec2SnapshotMs?: number;
  /** How long an Identity Center account assignment stays IN_PROGRESS (default 2000 ms; env GATEHOUSE_SSO_ASSIGNMENT_MS). */
  ssoAssignmentMs?: number;
  /** Overrides of the functions' environment, e.g. `{ APPROVAL_TIMEOUT_SECONDS: '2' }` in tests. */
  functionEnv?: Record<string, string>;
  /** The role catalogue file the functions load (default: $GATEHOUSE_CATALOGUE, else config/role-catalogue.json). */
  catalogueFile?: string;
}

export interface LocalCloud {
  endpoints: Record<ServiceId, string>;
  inboxUrl: string;
  /** The console (web/), served by the front door at `/`. */
  consoleUrl: string;
  faults: FaultInjector;
  runtime: LocalLambdaRuntime;
  /** The local HRIS (HiBob, BambooHR, Personio APIs): its people and API fault injection. */
  hris: LocalHris;
  /** Environment that points SDK clients and functions at this cloud (already applied to process.env). */
  env: Record<string, string>;
  /** The catalogue the functions load, with its version id. */
  catalogue: DeployedCatalogue;
  /** The Slack stand-in (local/slack/stand-in.ts): messages Gatehouse posted, and clicks signed as Slack signs. */
  slack: SlackStandIn;
  /** The local OIDC issuer the front door trusts for `auth: 'jwt'` routes (docs/auth.md). */
  oidc: { issuer: string; audience: string };
  /** A bearer token from the local issuer, e.g. `{ email: 'ops@example.com', groups: ['gatehouse-operators'] }`. */
  issueToken(request: TokenRequest): Promise<string>;
  stop(): Promise<void>;
}

const ROOT = resolve(import.meta.dirname, '..');

/** A duration (ms) from the environment, or undefined when unset; anything but a non-negative integer is refused. */
function envMs(name: string): number | undefined {
  const text = process.env[name];
  if (text === undefined || text === '') return undefined;
  if (!/^\d+$/.test(text)) throw new Error(`${name} must be a whole number of milliseconds, got '${text}'`);
  return Number(text);
}

/** A fixed port of the local cloud is taken (another local cloud, or any other program). */
export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    readonly service: ServiceId,
  ) {
    super(`port ${port} (${service}) is already in use`);
    this.name = 'PortInUseError';
  }
}

/** With fixed ports, checks them all before anything starts (Java alone takes seconds to boot). */
async function checkPortsFree(base: number, skip: ServiceId[]): Promise<void> {
  if (base === 0) return;
  for (const service of Object.keys(SERVICES) as ServiceId[]) {
    if (skip.includes(service)) continue;
    const port = portFor(service, base);
    await pickFreePort(port).catch(() => {
      throw new PortInUseError(port, service);
    });
  }
}
const HRIS_SOURCES = ['generic', 'bamboohr', 'hibob', 'personio'] as const;

/** One port serving several awsJson APIs, told apart by the X-Amz-Target prefix (Identity Store and sso-admin). */
function byTargetPrefix(handlers: Record<string, RequestHandler>, fallback: RequestHandler): RequestHandler {
  return (req) => (handlers[(req.headers['x-amz-target'] ?? '').split('.')[0] ?? ''] ?? fallback)(req);
}

/** A server whose handler is plugged in after every port is known (endpoints go into env first). */
async function slot(port: number): Promise<{ server: RunningServer; plug(handler: RequestHandler): void }> {
  let current: RequestHandler = () => Promise.resolve<HttpResponse>({ status: 503, body: 'starting' });
  const server = await startHttpServer(port, (req: HttpRequest) => current(req));
  return { server, plug: (handler) => (current = handler) };
}

function loadMachines(names: LocalNames): Record<string, string> {
  const machines: Record<string, string> = {};
  for (const name of STATE_MACHINES) {
    const file = join(ROOT, 'statemachines', `${name}.asl.json`);
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    const values = Object.fromEntries(substitutionKeys(text).map((key) => [key, localSubstitution(names, key)]));
    machines[name] = applySubstitutions(text, values);
  }
  return machines;
}

/** Boots the whole local cloud in this process. Production handler code runs unchanged. */
export async function startLocalCloud(options: LocalCloudOptions = {}): Promise<LocalCloud> {
  const base = options.basePort ?? DEFAULT_BASE_PORT;
  const stateDir = options.dataDir ? join(options.dataDir, 'state') : undefined;
  // Refuse an invalid catalogue before anything starts (CatalogueInvalidError names the file and each JSON path).
  const catalogue = readLocalCatalogue(options.catalogueFile ?? localCatalogueFile());
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const fn of stops.reverse()) await fn();
  };
  await checkPortsFree(base, [...(options.dynamodbEndpoint ? (['dynamodb'] as const) : []), ...(options.sesEndpoint ? (['ses'] as const) : [])]);
  try {
    const dynamo = options.dynamodbEndpoint
      ? { endpoint: options.dynamodbEndpoint, stop: () => Promise.resolve() }
      : await startDynamoDbLocal({ port: portFor('dynamodb', base), ...(options.dataDir ? { dataDir: join(options.dataDir, 'dynamodb') } : {}) });
    stops.push(() => dynamo.stop());
    const ses = options.sesEndpoint
      ? { endpoint: options.sesEndpoint, inboxUrl: `${options.sesEndpoint}/`, stop: () => Promise.resolve() }
      : await startSesLocal({ port: portFor('ses', base) });
    stops.push(() => ses.stop());

    const ids = ['frontdoor', 'sfn', 'identitystore', 'ec2', 'events', 'scheduler', 'secretsmanager', 'hris'] as const;
    const slots = Object.fromEntries(await Promise.all(ids.map(async (id) => [id, await slot(portFor(id, base))] as const)));
    for (const id of ids) stops.push(() => slots[id]!.server.close());
    const endpoints = {
      ...Object.fromEntries(ids.map((id) => [id, slots[id]!.server.url])),
      'sso-admin': slots.identitystore!.server.url,
      dynamodb: dynamo.endpoint,
      ses: ses.endpoint,
    } as Record<ServiceId, string>;

    const names: LocalNames = { tablePrefix: options.tablePrefix ?? 'gatehouse-', frontDoorUrl: endpoints.frontdoor };
    const env: Record<string, string> = { ...LOCAL_AWS_ENV, ...localFunctionEnv(names, catalogue.source), ...options.functionEnv };
    // Slack through the SDK's slackApiUrl option, pointed at the stand-in on the front door (docs/slack.md).
    env.SLACK_API_URL ??= `${endpoints.frontdoor}/_local/slack/api/`;
    const slack = new SlackStandIn({
      ...standInCredentials(stateDir),
      frontDoorUrl: endpoints.frontdoor,
      members: DEMO_PERSONAS.map((p) => p.email),
    });
    for (const [id, { envVar }] of Object.entries(SERVICES)) if (envVar) env[envVar] = endpoints[id as ServiceId];
    delete process.env.AWS_PROFILE;
    Object.assign(process.env, env);
    const issuer = await createLocalIssuer({ frontDoorUrl: endpoints.frontdoor, ...(options.dataDir ? { dataDir: options.dataDir } : {}) });
    if (options.dataDir) {
      mkdirSync(options.dataDir, { recursive: true });
      const oidcEnv = { GATEHOUSE_HRIS_URL: endpoints.hris, GATEHOUSE_API_URL: endpoints.frontdoor, GATEHOUSE_OIDC_ISSUER: issuer.issuer, GATEHOUSE_OIDC_AUDIENCE: issuer.audience };
      // The data dir and the Identity Store id too, so a sourced shell can run `aws identitystore ...` and the CLI finds this cloud.
      const where = { GATEHOUSE_DATA_DIR: resolve(options.dataDir), GATEHOUSE_IDENTITY_STORE_ID: LOCAL_IDENTITY_STORE_ID };
      writeFileSync(join(options.dataDir, 'endpoints.env'), endpointsEnvFile(endpoints, { GATEHOUSE_FRONT_DOOR: endpoints.frontdoor, ...oidcEnv, ...where }));
    }

    await ensureTables(new DynamoDBClient({}), localTableSpecs(names));

    // Faults are armed after the boot-time seeding below: the local cloud playing the administrator is not under test.
    const faults = new FaultInjector();
    const ctx: EmulatorContext = { ...(stateDir ? { stateDir } : {}), faults };
    const runtime = new LocalLambdaRuntime(join(ROOT, 'functions'));
    const sfnClient = new SFNClient({});
    const targets: TargetPorts = {
      invokeFunction: async (arn, payload) => {
        await runtime.invoke(arn, payload);
      },
      startExecution: async (stateMachineArn, input, name) => {
        try {
          await sfnClient.send(new StartExecutionCommand({ stateMachineArn, input, ...(name ? { name } : {}) }));
        } catch (error) {
          if (!(error instanceof ExecutionAlreadyExists)) throw error;
        }
      },
    };
    // Fresh signing keys per installation (kept in the emulator's state); the generic sender uses Standard Webhooks' whsec_ form.
    const seed = {
      ...Object.fromEntries(
        HRIS_SOURCES.map((source) => {
          const key = randomBytes(32).toString('base64');
          return [`${HRIS_SECRET_PREFIX}${source}`, source === 'generic' ? `whsec_${key}` : key];
        }),
      ),
      ...hrisApiSeed(HRIS_SECRET_PREFIX),
      [SLACK_SECRET_NAME]: JSON.stringify({ botToken: slack.options.botToken, signingSecret: slack.options.signingSecret, channel: LOCAL_SLACK_CHANNEL }),
    };
    const rules = EVENT_RULES.map((rule) => ({
      name: rule.name,
      eventBusName: rule.bus,
      eventPattern: rule.eventPattern,
      targets: [{ id: rule.targetFunction, arn: functionArn(rule.targetFunction) }],
    }));

    const plug = (id: (typeof ids)[number], emulator: Emulator) => {
      slots[id]!.plug(emulator.handler);
      stops.push(async () => emulator.stop?.());
    };
    plug('secretsmanager', createSecretsManagerEmulator(ctx, { seed }));
    const identityStore = createIdentityStoreEmulator(ctx, { identityStoreIds: [LOCAL_IDENTITY_STORE_ID] });
    const ssoAdmin = createSsoAdminEmulator(ctx, {
      instanceArn: LOCAL_SSO_INSTANCE_ARN,
      identityStoreId: LOCAL_IDENTITY_STORE_ID,
      permissionSets: localPermissionSets(catalogue.catalogue),
      delayMs: options.ssoAssignmentMs ?? envMs('GATEHOUSE_SSO_ASSIGNMENT_MS') ?? 2000,
    });
    plug('identitystore', { service: 'identitystore', handler: byTargetPrefix({ SWBExternalService: ssoAdmin.handler }, identityStore.handler) });
    // EC2's notifications go to the default bus of the events emulator.
    const events = createEventBridgeEmulator(ctx, { rules, targets });
    const snapshotMs = options.ec2SnapshotMs ?? envMs('GATEHOUSE_EC2_SNAPSHOT_MS');
    plug(
      'ec2',
      createEc2Emulator(ctx, {
        pendingMs: options.ec2PendingMs ?? 2000,
        ...(snapshotMs !== undefined ? { snapshotMs } : {}),
        notify: (batch) => events.publishToDefaultBus(batch),
      }),
    );
    const sfn = createSfnEmulator(ctx, {
      machines: loadMachines(names),
      invokeFunction: (arn, payload) => runtime.invoke(arn, payload),
      // The crash tests' hook (local/sfn/crash.ts): SIGKILL this process as a given state starts.
      ...(process.env.GATEHOUSE_CRASH_AT ? { crashAt: process.env.GATEHOUSE_CRASH_AT } : {}),
      ...(options.retryDelayScale !== undefined ? { retryDelayScale: options.retryDelayScale } : {}),
    });
    plug('sfn', sfn);
    plug('events', events);
    plug('scheduler', createSchedulerEmulator(ctx, { targets, roles: LOCAL_SCHEDULER_ROLES, ...(options.schedulerClock ? { clock: options.schedulerClock } : {}) }));
    const codeFlow = {
      clients: [{ clientId: CONSOLE_CLIENT_ID, redirectUris: [`${endpoints.frontdoor}${CONSOLE_CALLBACK_PATH}`] }],
      people: demoPeople(tableName(names, 'employees')),
    };
    const control = controlRoutes({ faults, endpoints, inboxUrl: ses.inboxUrl, machines: STATE_MACHINES.map((m) => stateMachineArn(m)), oidc: oidcRoutes(issuer, codeFlow), slack: (req) => slack.handle(req) });
    const authorize = jwtAuthorizer({ issuer: issuer.issuer, audiences: [issuer.audience], jwks: () => issuer.jwks() });
    const site = consoleSite({
      distDir: WEB_DIST,
      config: {
        issuer: issuer.issuer,
        clientId: CONSOLE_CLIENT_ID,
        scope: 'openid email profile',
        apiUrl: '',
        operatorGroup: LOCAL_OPERATOR_GROUP,
        auditorGroup: AUDITOR_GROUP_DEFAULT,
      },
    });
    slots.frontdoor!.plug(frontDoor(runtime, control, authorize, site));
    await seedIdentityCenterGroups(catalogue.catalogue);
    await seedScheduleGroup();
    const localHris = await bootLocalHris({
      prefix: HRIS_SECRET_PREFIX,
      hrisUrl: endpoints.hris,
      frontDoorUrl: endpoints.frontdoor,
      ...(stateDir ? { stateDir } : {}),
      ...(options.hrisHangMs !== undefined ? { hangMs: options.hrisHangMs } : {}),
    });
    slots.hris!.plug(localHris.handler);
    stops.push(() => {
      localHris.hris.stop();
      return Promise.resolve();
    });
    faults.set(options.faults ?? []);
    await sfn.ready();

    const oidc = { issuer: issuer.issuer, audience: issuer.audience };
    return { endpoints, inboxUrl: ses.inboxUrl, consoleUrl: `${endpoints.frontdoor}/`, faults, runtime, hris: localHris.hris, env, catalogue, slack, oidc, issueToken: (request) => issuer.issueToken(request), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

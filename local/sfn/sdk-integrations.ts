import { TaskError } from './errors.ts';
import { isJsonObject, type JsonObject, type JsonValue } from './types.ts';

/**
 * Real AWS SDK calls for service-integration Task states. Clients use the default
 * configuration, so the local cloud's `AWS_ENDPOINT_URL_<SERVICE>` variables point them at
 * the local stand-ins; each is created once, on first use. The SDK does not retry
 * (maxAttempts 1): as on AWS, throttling reaches the state's own Retry.
 */
interface SdkClient {
  send(command: object): Promise<unknown>;
}
interface LoadedService {
  client: SdkClient;
  exports: Record<string, unknown>;
}

const CLIENT_CONFIG = { maxAttempts: 1 };
const loaded = (exports: object, client: object): LoadedService => ({
  client: client as SdkClient,
  exports: exports as Record<string, unknown>,
});

const LOADERS = {
  sfn: async () => {
    const m = await import('@aws-sdk/client-sfn');
    return loaded(m, new m.SFNClient(CLIENT_CONFIG));
  },
  scheduler: async () => {
    const m = await import('@aws-sdk/client-scheduler');
    return loaded(m, new m.SchedulerClient(CLIENT_CONFIG));
  },
  identitystore: async () => {
    const m = await import('@aws-sdk/client-identitystore');
    return loaded(m, new m.IdentitystoreClient(CLIENT_CONFIG));
  },
  ec2: async () => {
    const m = await import('@aws-sdk/client-ec2');
    return loaded(m, new m.EC2Client(CLIENT_CONFIG));
  },
  dynamodb: async () => {
    const m = await import('@aws-sdk/client-dynamodb');
    return loaded(m, new m.DynamoDBClient(CLIENT_CONFIG));
  },
  eventbridge: async () => {
    const m = await import('@aws-sdk/client-eventbridge');
    return loaded(m, new m.EventBridgeClient(CLIENT_CONFIG));
  },
  sesv2: async () => {
    const m = await import('@aws-sdk/client-sesv2');
    return loaded(m, new m.SESv2Client(CLIENT_CONFIG));
  },
  secretsmanager: async () => {
    const m = await import('@aws-sdk/client-secrets-manager');
    return loaded(m, new m.SecretsManagerClient(CLIENT_CONFIG));
  },
} satisfies Record<string, () => Promise<LoadedService>>;

export type SdkServiceId = keyof typeof LOADERS;
export const isSdkService = (service: string): service is SdkServiceId => Object.hasOwn(LOADERS, service);

/**
 * How Step Functions names errors of `aws-sdk:<service>` integrations: `<ServiceName>.<ErrorName>`,
 * both PascalCase, always ending in `Exception`. EC2 models no error shapes, so AWS reports
 * every EC2 error as the generic `Ec2.Ec2Exception`; the EC2 code is kept in the cause.
 */
export const AWS_SDK_ERROR_PREFIX: Record<SdkServiceId, string> = {
  sfn: 'Sfn',
  scheduler: 'Scheduler',
  identitystore: 'IdentityStore',
  ec2: 'Ec2',
  dynamodb: 'DynamoDb',
  eventbridge: 'EventBridge',
  sesv2: 'SesV2',
  secretsmanager: 'SecretsManager',
};
const GENERIC_ERRORS = new Set<SdkServiceId>(['ec2']);
/** Services whose API members are camelCase: ASL writes them PascalCase, both ways. */
const CAMEL_CASE_APIS = new Set<SdkServiceId>(['sfn']);

function recase(value: JsonValue, first: (char: string) => string): JsonValue {
  if (Array.isArray(value)) return value.map((member) => recase(member, first));
  if (!isJsonObject(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([key, member]) => [`${first(key.charAt(0))}${key.slice(1)}`, recase(member, first)]));
}

interface ServiceErrorShape {
  name: string;
  message: string;
  $metadata: { httpStatusCode?: number; requestId?: string };
}
const isServiceError = (error: unknown): error is ServiceErrorShape =>
  error instanceof Error &&
  typeof (error as Partial<ServiceErrorShape>).$metadata?.httpStatusCode === 'number';

/** The Task error for a failed SDK call, named the way Step Functions names it. */
export function integrationError(prefix: string, error: unknown, generic = false): TaskError {
  if (!isServiceError(error)) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return new TaskError('States.TaskFailed', `${prefix} call failed before reaching the service: ${message}`);
  }
  const code = error.name;
  const errorName = generic ? `${prefix}Exception` : code.endsWith('Exception') ? code : `${code}Exception`;
  const details = [
    `Service: ${prefix}`,
    `Status Code: ${error.$metadata.httpStatusCode ?? 400}`,
    `Request ID: ${error.$metadata.requestId ?? 'local'}`,
    ...(generic ? [`Error Code: ${code}`] : []),
  ];
  return new TaskError(`${prefix}.${errorName}`, `${error.message} (${details.join(', ')})`);
}

/** SDK output as the JSON a state sees: no `$metadata`, dates as ISO text, blobs as base64. */
export function toStateJson(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map(toStateJson);
  if (typeof value === 'object') {
    const out: JsonObject = {};
    for (const [key, member] of Object.entries(value)) {
      if (key !== '$metadata' && member !== undefined) out[key] = toStateJson(member);
    }
    return out;
  }
  return null;
}

/** The Task error for a failed `aws-sdk:<service>:<action>` call. */
export const awsSdkError = (id: SdkServiceId, error: unknown): TaskError =>
  integrationError(AWS_SDK_ERROR_PREFIX[id], error, GENERIC_ERRORS.has(id));

export type ErrorNaming = (error: unknown) => TaskError;

export class SdkIntegrations {
  private readonly services = new Map<SdkServiceId, Promise<LoadedService>>();

  private service(id: SdkServiceId): Promise<LoadedService> {
    let service = this.services.get(id);
    if (!service) {
      service = LOADERS[id]();
      this.services.set(id, service);
    }
    return service;
  }

  /**
   * Calls `<Action>Command` of a service. Failures are named by `naming`: by default the
   * `aws-sdk:` rule; optimized integrations pass their own (`DynamoDB.`, `EventBridge.`, ...).
   */
  async call(
    id: SdkServiceId,
    action: string,
    parameters: JsonValue,
    naming: ErrorNaming = (error) => awsSdkError(id, error),
  ): Promise<JsonValue> {
    if (!isJsonObject(parameters)) {
      throw new TaskError('States.Runtime', `Parameters of ${id}:${action} must be a JSON object`);
    }
    const { client, exports } = await this.service(id);
    const commandName = `${action.charAt(0).toUpperCase()}${action.slice(1)}Command`;
    const Command = exports[commandName];
    if (typeof Command !== 'function') {
      throw new TaskError('States.TaskFailed', `The local cloud's ${id} SDK has no action "${action}" (no ${commandName})`);
    }
    const camel = CAMEL_CASE_APIS.has(id);
    const input = camel ? recase(parameters, (c) => c.toLowerCase()) : parameters;
    let output: unknown;
    try {
      output = await client.send(new (Command as new (input: JsonValue) => object)(input));
    } catch (error) {
      throw naming(error);
    }
    return camel ? recase(toStateJson(output), (c) => c.toUpperCase()) : toStateJson(output);
  }
}

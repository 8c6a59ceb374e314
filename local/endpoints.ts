/**
 * The services of the local cloud, the port offset each listens on, and the standard
 * AWS SDK variable that points a client at it (`AWS_ENDPOINT_URL_<SERVICE ID>`).
 */
export const SERVICES = {
  frontdoor: { offset: 0, envVar: undefined },
  sfn: { offset: 1, envVar: 'AWS_ENDPOINT_URL_SFN' },
  identitystore: { offset: 2, envVar: 'AWS_ENDPOINT_URL_IDENTITYSTORE' },
  /** Identity Center's admin API (account assignments) shares the Identity Store's port: X-Amz-Target tells them apart. */
  'sso-admin': { offset: 2, envVar: 'AWS_ENDPOINT_URL_SSO_ADMIN' },
  ec2: { offset: 3, envVar: 'AWS_ENDPOINT_URL_EC2' },
  events: { offset: 4, envVar: 'AWS_ENDPOINT_URL_EVENTBRIDGE' },
  scheduler: { offset: 5, envVar: 'AWS_ENDPOINT_URL_SCHEDULER' },
  secretsmanager: { offset: 6, envVar: 'AWS_ENDPOINT_URL_SECRETS_MANAGER' },
  dynamodb: { offset: 7, envVar: 'AWS_ENDPOINT_URL_DYNAMODB' },
  ses: { offset: 8, envVar: 'AWS_ENDPOINT_URL_SESV2' },
  /** The local HRIS (local/hris): HiBob, BambooHR and Personio REST APIs, and the `hris` CLI's routes. */
  hris: { offset: 9, envVar: undefined },
} as const;

export type ServiceId = keyof typeof SERVICES;
export const DEFAULT_BASE_PORT = 4700;

/** Dummy credentials and region: required by the SDK, never checked by the local cloud. */
export const LOCAL_AWS_ENV = {
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
} as const;

export const portFor = (service: ServiceId, base: number): number => (base === 0 ? 0 : base + SERVICES[service].offset);

/** The `export VAR=value` lines of `.gatehouse/endpoints.env`. */
export function endpointsEnvFile(endpoints: Record<ServiceId, string>, extra: Record<string, string>): string {
  const lines = ['# Written by the Gatehouse local cloud on boot. Use: source .gatehouse/endpoints.env'];
  for (const [key, value] of Object.entries(LOCAL_AWS_ENV)) lines.push(`export ${key}=${value}`);
  for (const [service, { envVar }] of Object.entries(SERVICES)) {
    if (envVar) lines.push(`export ${envVar}=${endpoints[service as ServiceId]}`);
  }
  for (const [key, value] of Object.entries(extra)) lines.push(`export ${key}=${value}`);
  return `${lines.join('\n')}\n`;
}

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import type { Catalogue } from '../functions/lib/domain/catalogue/schema.ts';
import { parseSwitchedOff } from '../functions/lib/domain/notifications/switches.ts';
import { DEFAULT_ENDING_SOON_LEAD, parseEndingSoonLead } from '../functions/lib/domain/time-bound/expiry.ts';
import { CatalogueInvalidError, loadCatalogue, type LoadedCatalogue } from '../functions/lib/domain/catalogue/load.ts';

/**
 * The stack's configuration: CDK context (`cdk.json` or `-c key=value`), validated with zod
 * at synth. A bad value fails synth with a message naming the context key. Every key has a
 * default so `cdk synth` works on a clean clone; defaults that only make sense as
 * placeholders are listed in `placeholders` and the stack warns about each one.
 */

/** The shipped example catalogue, deployed when `-c catalogueFile=...` is not given. */
export const SHIPPED_CATALOGUE = 'config/role-catalogue.json';

const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** Placeholder values: synth works with them, a deployed stack would not do anything useful. */
const PLACEHOLDERS = {
  identityStoreId: 'd-0000000000',
  senderEmail: 'gatehouse@example.com',
  operatorEmail: 'it-ops@example.com',
  workstationSubnetId: 'subnet-00000000000000000',
  workstationSecurityGroupId: 'sg-00000000000000000',
  identityCenterInstanceArn: 'arn:aws:sso:::instance/ssoins-0000000000000000',
} as const;

export const contextSchema = z.strictObject({
  /** Pin the stack to an account/region; default: the CLI's credentials, or environment-agnostic. */
  account: z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id').optional(),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be a region name such as eu-west-1').optional(),
  identityStoreId: z
    .string()
    .regex(/^d-[0-9a-f]{10}$/, 'must be an Identity Store id (d-0123456789), see IAM Identity Center > Settings')
    .default(PLACEHOLDERS.identityStoreId),
  /** Default: arn:<partition>:identitystore::<account>:identitystore/<identityStoreId>. */
  identityStoreArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:identitystore::\d{12}:identitystore\/d-[0-9a-f]{10}$/, 'must be arn:aws:identitystore::<account>:identitystore/d-…')
    .optional(),
  /** The IAM Identity Center instance: account assignments (sso-admin) are made in it. */
  identityCenterInstanceArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:sso:::instance\/ssoins-[0-9a-f]{16}$/, 'must be arn:aws:sso:::instance/ssoins-…')
    .default(PLACEHOLDERS.identityCenterInstanceArn),
  /** The verified SES identity mail is sent from (an address, or an address at a verified domain). */
  senderEmail: z.email('must be an e-mail address').default(PLACEHOLDERS.senderEmail),
  /** Operators: the alarm topic's e-mail subscription and the reconciliation report. */
  operatorEmail: z.email('must be an e-mail address').default(PLACEHOLDERS.operatorEmail),
  /** Notification kinds not to send, comma-separated (functions/lib/domain/notifications/kinds.ts); unknown names fail synth. */
  notificationsOff: z
    .string()
    .default('')
    .superRefine((value, ctx) => {
      try {
        parseSwitchedOff(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message.replace(/^notificationsOff: /, '') });
      }
    }),
  /** How long before a time-bound grant ends its holder is reminded: ISO-8601, PT1M to P7D (domain/time-bound/expiry.ts). */
  endingSoonLead: z
    .string()
    .default(DEFAULT_ENDING_SOON_LEAD)
    .superRefine((value, ctx) => {
      try {
        parseEndingSoonLead(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message.replace(/^endingSoonLead: /, '') });
      }
    }),
  /** Base URL of approval links; default: the HTTP API's own URL. */
  approvalBaseUrl: z.url({ protocol: /^https$/, error: 'must be an https:// URL' }).optional(),
  workstationVpcId: z.string().regex(/^vpc-[0-9a-f]{8,17}$/, 'must be a VPC id').optional(),
  workstationSubnetId: z.string().regex(/^subnet-[0-9a-f]{8,17}$/, 'must be a subnet id').default(PLACEHOLDERS.workstationSubnetId),
  workstationSecurityGroupId: z
    .string()
    .regex(/^sg-[0-9a-f]{8,17}$/, 'must be a security group id')
    .default(PLACEHOLDERS.workstationSecurityGroupId),
  workstationAvailabilityZone: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/, 'must be an availability zone name').optional(),
  /** The operator's role catalogue: validated here, uploaded as an S3 asset the functions load at cold start. */
  catalogueFile: z.string().min(1).default(SHIPPED_CATALOGUE),
  provisionLeadHours: int(0, 24 * 30).default(24),
  /** How long each approver has (per step of the chain); Step Functions callback TimeoutSeconds. */
  approvalTimeoutSeconds: int(300, 30 * 24 * 3600).default(3 * 24 * 3600),
  /** Mover: how long the old role's access stays after the new role's works (Wait For Overlap); 0 = revoke at once. */
  moverOverlapSeconds: int(0, 30 * 24 * 3600).default(0),
  logRetentionDays: z.coerce
    .number()
    .refine((days) => (RETENTION_DAYS as readonly number[]).includes(days), `must be one of ${RETENTION_DAYS.join(', ')}`)
    .default(365),
  /**
   * OIDC issuer of callers' JWTs (routes with auth 'jwt', docs/auth.md), exactly as the tokens'
   * `iss`. Unset: those routes are not created and synth warns.
   */
  oidcIssuer: z.url({ protocol: /^https$/, error: 'must be the https:// issuer URL, exactly as in the tokens\' iss claim' }).optional(),
  /** Audiences the JWT authorizer accepts (`aud`, or `client_id` for Cognito access tokens), comma-separated. */
  oidcAudience: z
    .string()
    .regex(/^[\x21-\x2b\x2d-\x7e]{1,256}(,[\x21-\x2b\x2d-\x7e]{1,256}){0,9}$/, 'must be 1-10 audiences, comma-separated, no spaces')
    .optional(),
  /** The `groups` claim value that makes a caller an operator (POST /operator/leavers). */
  operatorGroup: z.string().regex(/^[\x21-\x7e]{1,128}$/, 'must be a group name or id, no spaces').default('gatehouse-operators'),
  /** The `groups` claim value that makes a caller an auditor (the console's Audit page). */
  auditorGroup: z.string().regex(/^[\x21-\x7e]{1,128}$/, 'must be a group name or id, no spaces').default('gatehouse-auditors'),
  /** The console's OAuth client id at the identity provider (a public client: Authorization Code + PKCE). */
  consoleClientId: z.string().regex(/^[\x21-\x7e]{1,256}$/, 'must be the client id, no spaces').default('gatehouse-console'),
  apiRateLimit: int(1, 10_000).default(50),
  apiBurstLimit: int(1, 5_000).default(100),
  /** EventBridge Scheduler expression for the daily reconciliation (UTC). */
  reconcileSchedule: z
    .string()
    .regex(/^(cron|rate)\(.+\)$/, 'must be a Scheduler cron(...) or rate(...) expression')
    .default('cron(0 5 * * ? *)'),
  /** Largest share (0-1) of Identity Store users one reconciliation removal may delete; more blocks the run (docs/reconciliation.md). */
  maxRemovalShare: z.coerce.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1').default(0.1),
});

export type GatehouseContext = z.infer<typeof contextSchema>;
export const CONTEXT_KEYS = Object.keys(contextSchema.shape) as (keyof GatehouseContext)[];

export interface GatehouseConfig extends GatehouseContext {
  catalogue: Catalogue;
  /** The catalogue's version id (content hash) and absolute path, for the S3 asset and outputs. */
  catalogueVersion: LoadedCatalogue['version'];
  catalogueFilePath: string;
  /** Context keys left at a placeholder default. */
  placeholders: (keyof typeof PLACEHOLDERS)[];
}

export class ContextError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ContextError';
  }
}

/** The catalogue file, checked exactly as `gatehouse catalogue validate` and the functions' cold start check it. */
function readCatalogue(file: string, root: string): LoadedCatalogue & { path: string } {
  const path = resolve(root, file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ContextError(`invalid Gatehouse configuration: context catalogueFile: cannot read ${path}`, { cause: error });
  }
  try {
    return { ...loadCatalogue(text, file), path };
  } catch (error) {
    if (!(error instanceof CatalogueInvalidError)) throw error;
    const problems = error.issues.map((issue) => `${file}: ${issue.path}: ${issue.message}`);
    throw new ContextError(`invalid Gatehouse configuration: context catalogueFile:\n  ${problems.join('\n  ')}`, { cause: error });
  }
}

/** A context key that differs from one of ours only in case is a typo, not CDK's business. */
function misspelledKeys(raw: Record<string, unknown>): string[] {
  return Object.keys(raw).flatMap((key) => {
    const ours = CONTEXT_KEYS.find((candidate) => candidate !== key && candidate.toLowerCase() === key.toLowerCase());
    return ours ? [`context ${key}: unknown key, did you mean ${ours}?`] : [];
  });
}

/**
 * Validates raw context values (only the keys of {@link contextSchema}; CDK's own feature
 * flags are ignored). Throws a ContextError naming each bad key.
 */
export function parseContext(raw: Record<string, unknown>, root: string): GatehouseConfig {
  const ours = Object.fromEntries(Object.entries(raw).filter(([key]) => (CONTEXT_KEYS as string[]).includes(key)));
  const parsed = contextSchema.safeParse(ours);
  const problems = [
    ...misspelledKeys(raw),
    ...(parsed.success ? [] : parsed.error.issues.map((issue) => `context ${issue.path.join('.') || '(root)'}: ${issue.message}`)),
  ];
  if (!parsed.success || problems.length > 0) throw new ContextError(`invalid Gatehouse configuration: ${problems.join('; ')}`);
  const config = parsed.data;
  if (config.apiBurstLimit < config.apiRateLimit) {
    throw new ContextError('invalid Gatehouse configuration: context apiBurstLimit: must be at least apiRateLimit');
  }
  if ((config.oidcIssuer === undefined) !== (config.oidcAudience === undefined)) {
    throw new ContextError('invalid Gatehouse configuration: context oidcIssuer and oidcAudience: set both (the JWT authorizer needs issuer and audience) or neither');
  }
  const placeholders = (Object.keys(PLACEHOLDERS) as (keyof typeof PLACEHOLDERS)[]).filter((key) => ours[key] === undefined);
  const catalogue = readCatalogue(config.catalogueFile, root);
  return { ...config, catalogue: catalogue.catalogue, catalogueVersion: catalogue.version, catalogueFilePath: catalogue.path, placeholders };
}

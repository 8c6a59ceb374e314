import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../core/arn.ts';
import { AwsError } from '../core/aws-error.ts';

/** Persisted Secrets Manager state and the request schemas of the emulated operations. */

export interface SecretVersion {
  SecretString?: string;
  /** Base64, as on the wire. */
  SecretBinary?: string;
  VersionStages: string[];
  /** Epoch seconds. */
  CreatedDate: number;
}

export interface StoredSecret {
  Name: string;
  ARN: string;
  Description?: string;
  KmsKeyId?: string;
  Tags: { Key?: string; Value?: string }[];
  CreatedDate: number;
  LastChangedDate: number;
  LastAccessedDate?: number;
  /** Set when deletion is scheduled; the secret is purged at DeletionDate. */
  DeletedDate?: number;
  DeletionDate?: number;
  Versions: Record<string, SecretVersion>;
}

export interface SecretsState {
  secrets: Record<string, StoredSecret>;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 random characters>`. */
export function secretArn(name: string): string {
  const suffix = [...randomBytes(6)].map((byte) => ALPHANUMERIC[byte % ALPHANUMERIC.length]).join('');
  return `arn:aws:secretsmanager:${LOCAL_REGION}:${LOCAL_ACCOUNT}:secret:${name}-${suffix}`;
}

export const newVersionId = (): string => randomUUID();
export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export const invalidParameter = (message: string): AwsError => new AwsError('InvalidParameterException', message);
export const invalidRequest = (message: string): AwsError => new AwsError('InvalidRequestException', message);
export const notFound = (message = "Secrets Manager can't find the specified secret."): AwsError =>
  new AwsError('ResourceNotFoundException', message);

const secretId = z.string().min(1).max(2048);
const token = z.string().min(32).max(64).optional();
const value = {
  SecretString: z.string().max(65_536).optional(),
  SecretBinary: z.string().max(87_384).optional(),
};

export const schemas = {
  create: z.object({
    Name: z.string().regex(/^[A-Za-z0-9/_+=.@-]{1,512}$/, 'Member must have length 1..512 and match [A-Za-z0-9/_+=.@-]+'),
    ClientRequestToken: token,
    Description: z.string().max(2048).optional(),
    KmsKeyId: z.string().max(2048).optional(),
    Tags: z.array(z.object({ Key: z.string().min(1).max(128).optional(), Value: z.string().max(256).optional() })).optional(),
    ...value,
  }),
  get: z.object({ SecretId: secretId, VersionId: z.string().min(32).max(64).optional(), VersionStage: z.string().min(1).max(256).optional() }),
  put: z.object({
    SecretId: secretId,
    ClientRequestToken: token,
    VersionStages: z.array(z.string().min(1).max(256)).min(1).max(20).optional(),
    ...value,
  }),
  describe: z.object({ SecretId: secretId }),
  list: z.object({
    IncludePlannedDeletion: z.boolean().optional(),
    MaxResults: z.number().int().min(1).max(100).optional(),
    NextToken: z.string().min(1).max(4096).optional(),
    Filters: z
      .array(
        z.object({
          Key: z.enum(['description', 'name', 'tag-key', 'tag-value', 'primary-region', 'owning-service', 'all']),
          Values: z.array(z.string().min(1).max(512)).min(1).max(10),
        }),
      )
      .max(10)
      .optional(),
    SortOrder: z.enum(['asc', 'desc']).optional(),
  }),
  delete: z.object({
    SecretId: secretId,
    RecoveryWindowInDays: z.number().int().optional(),
    ForceDeleteWithoutRecovery: z.boolean().optional(),
  }),
};

/** The strings a ListSecrets filter key looks at. */
function filterSubjects(secret: StoredSecret, key: string): string[] {
  const tags = secret.Tags;
  if (key === 'name') return [secret.Name];
  if (key === 'description') return [secret.Description ?? ''];
  if (key === 'tag-key') return tags.map((t) => t.Key ?? '');
  if (key === 'tag-value') return tags.map((t) => t.Value ?? '');
  if (key === 'primary-region') return [LOCAL_REGION];
  if (key === 'all') return [secret.Name, secret.Description ?? '', ...tags.flatMap((t) => [t.Key ?? '', t.Value ?? ''])];
  return [];
}

/**
 * ListSecrets filtering: every filter must hold; within one, any value may match, as a
 * case-insensitive prefix; a value starting with `!` negates.
 */
export function matchesFilters(secret: StoredSecret, filters: { Key: string; Values: string[] }[]): boolean {
  return filters.every((filter) => {
    const subjects = filterSubjects(secret, filter.Key).map((s) => s.toLowerCase());
    return filter.Values.some((raw) => {
      const negate = raw.startsWith('!');
      const wanted = (negate ? raw.slice(1) : raw).toLowerCase();
      const hit = subjects.some((subject) => subject.startsWith(wanted));
      return negate ? !hit : hit;
    });
  });
}

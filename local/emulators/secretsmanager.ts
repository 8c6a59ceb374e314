import { AwsError } from '../core/aws-error.ts';
import { stateFile, type Emulator, type EmulatorContext } from '../core/emulator.ts';
import { awsJsonService } from '../core/protocols.ts';
import { JsonStore } from '../core/store.ts';
import { paginate } from '../core/pagination.ts';
import { parseInput } from './input.ts';
import {
  invalidParameter,
  invalidRequest,
  matchesFilters,
  newVersionId,
  notFound,
  nowSeconds,
  schemas,
  secretArn,
  type SecretsState,
  type SecretVersion,
  type StoredSecret,
} from './secretsmanager-model.ts';

export interface SecretsManagerOptions {
  /** Secrets (name -> SecretString) created at start when no secret of that name exists. */
  seed?: Record<string, string>;
}

interface SecretValue {
  SecretString?: string;
  SecretBinary?: string;
}

const CURRENT = 'AWSCURRENT';
const PREVIOUS = 'AWSPREVIOUS';
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const DAY = 86_400;

function checkValue(value: SecretValue, required: boolean): void {
  if (value.SecretString !== undefined && value.SecretBinary !== undefined) {
    throw invalidParameter("You can't specify both SecretString and SecretBinary.");
  }
  if (required && value.SecretString === undefined && value.SecretBinary === undefined) {
    throw invalidParameter('You must provide either SecretString or SecretBinary.');
  }
  if (value.SecretBinary !== undefined && !BASE64.test(value.SecretBinary)) throw invalidParameter('SecretBinary is not valid base64.');
}

const sameValue = (version: SecretVersion, value: SecretValue): boolean =>
  version.SecretString === value.SecretString && version.SecretBinary === value.SecretBinary;

/**
 * Adds a version carrying `stages`, taking those labels from other versions. When
 * AWSCURRENT moves, the version that had it becomes AWSPREVIOUS. Versions left without
 * any label are deprecated and dropped.
 */
function addVersion(secret: StoredSecret, versionId: string, value: SecretValue, stages: string[]): void {
  const versions = Object.values(secret.Versions);
  const oldCurrent = stages.includes(CURRENT) ? versions.find((v) => v.VersionStages.includes(CURRENT)) : undefined;
  for (const version of versions) {
    version.VersionStages = version.VersionStages.filter((stage) => !stages.includes(stage) && !(oldCurrent && stage === PREVIOUS));
  }
  oldCurrent?.VersionStages.push(PREVIOUS);
  const now = nowSeconds();
  secret.Versions[versionId] = { ...value, VersionStages: [...new Set(stages)], CreatedDate: now };
  for (const [id, version] of Object.entries(secret.Versions)) {
    if (version.VersionStages.length === 0) delete secret.Versions[id];
  }
  secret.LastChangedDate = now;
}

const versionsToStages = (secret: StoredSecret): Record<string, string[]> =>
  Object.fromEntries(Object.entries(secret.Versions).map(([id, version]) => [id, version.VersionStages]));

function summary(secret: StoredSecret) {
  return {
    ARN: secret.ARN,
    Name: secret.Name,
    Description: secret.Description,
    KmsKeyId: secret.KmsKeyId,
    RotationEnabled: false,
    LastChangedDate: secret.LastChangedDate,
    LastAccessedDate: secret.LastAccessedDate,
    DeletedDate: secret.DeletedDate,
    Tags: secret.Tags.length > 0 ? secret.Tags : undefined,
    CreatedDate: secret.CreatedDate,
  };
}

export function createSecretsManagerEmulator(ctx: EmulatorContext, options: SecretsManagerOptions = {}): Emulator {
  const store = new JsonStore<SecretsState>(stateFile(ctx, 'secretsmanager'), () => ({ secrets: {} }));
  const state = store.data;

  const create = (name: string, value: SecretValue, versionId: string, extra: Partial<StoredSecret> = {}): StoredSecret => {
    const now = nowSeconds();
    const secret: StoredSecret = { Name: name, ARN: secretArn(name), Tags: [], CreatedDate: now, LastChangedDate: now, Versions: {}, ...extra };
    if (value.SecretString !== undefined || value.SecretBinary !== undefined) addVersion(secret, versionId, value, [CURRENT]);
    state.secrets[name] = secret;
    return secret;
  };

  /** Secrets whose recovery window has ended are gone for good. */
  const purgeExpired = (): void => {
    const now = nowSeconds();
    const expired = Object.values(state.secrets).filter((s) => s.DeletionDate !== undefined && s.DeletionDate <= now);
    for (const secret of expired) delete state.secrets[secret.Name];
    if (expired.length > 0) store.save();
  };
  /** By name or full ARN. */
  const requireSecret = (id: string): StoredSecret => {
    purgeExpired();
    const secret = id.startsWith('arn:') ? Object.values(state.secrets).find((s) => s.ARN === id) : state.secrets[id];
    if (!secret) throw notFound();
    return secret;
  };
  const requireLive = (id: string): StoredSecret => {
    const secret = requireSecret(id);
    if (secret.DeletedDate !== undefined) {
      throw invalidRequest("You can't perform this operation on the secret because it was marked for deletion.");
    }
    return secret;
  };

  for (const [name, value] of Object.entries(options.seed ?? {})) {
    if (!state.secrets[name]) create(name, { SecretString: value }, newVersionId());
  }
  store.save();

  const operations = {
    CreateSecret(input: unknown) {
      const req = parseInput(schemas.create, input, 'InvalidParameterException');
      purgeExpired();
      const value = { SecretString: req.SecretString, SecretBinary: req.SecretBinary };
      const existing = state.secrets[req.Name];
      if (existing?.DeletedDate !== undefined) {
        throw invalidRequest("You can't create this secret because a secret with this name is already scheduled for deletion.");
      }
      const retried = existing && req.ClientRequestToken !== undefined ? existing.Versions[req.ClientRequestToken] : undefined;
      if (existing && retried && sameValue(retried, value)) return { ARN: existing.ARN, Name: existing.Name, VersionId: req.ClientRequestToken };
      if (existing) throw new AwsError('ResourceExistsException', `The operation failed because the secret ${req.Name} already exists.`);
      checkValue(value, false);
      const versionId = req.ClientRequestToken ?? newVersionId();
      const secret = create(req.Name, value, versionId, { Description: req.Description, KmsKeyId: req.KmsKeyId, Tags: req.Tags ?? [] });
      store.save();
      return { ARN: secret.ARN, Name: secret.Name, VersionId: secret.Versions[versionId] ? versionId : undefined };
    },
    GetSecretValue(input: unknown) {
      const req = parseInput(schemas.get, input, 'InvalidParameterException');
      const secret = requireLive(req.SecretId);
      const stage = req.VersionStage ?? (req.VersionId === undefined ? CURRENT : undefined);
      const entry = Object.entries(secret.Versions).find(
        ([id, version]) => (req.VersionId === undefined || id === req.VersionId) && (stage === undefined || version.VersionStages.includes(stage)),
      );
      if (!entry) {
        const which = req.VersionId !== undefined ? `VersionId: ${req.VersionId}` : `staging label: ${stage ?? CURRENT}`;
        throw notFound(`Secrets Manager can't find the specified secret value for ${which}`);
      }
      const [versionId, version] = entry;
      secret.LastAccessedDate = Math.floor(nowSeconds() / DAY) * DAY;
      store.save();
      return { ARN: secret.ARN, Name: secret.Name, VersionId: versionId, ...version };
    },
    PutSecretValue(input: unknown) {
      const req = parseInput(schemas.put, input, 'InvalidParameterException');
      const secret = requireLive(req.SecretId);
      const value = { SecretString: req.SecretString, SecretBinary: req.SecretBinary };
      checkValue(value, true);
      const versionId = req.ClientRequestToken ?? newVersionId();
      const existing = secret.Versions[versionId];
      if (existing && !sameValue(existing, value)) {
        throw new AwsError('ResourceExistsException', "You can't modify an existing version, you can only create a new version.");
      }
      if (!existing) addVersion(secret, versionId, value, req.VersionStages ?? [CURRENT]);
      store.save();
      const stages = secret.Versions[versionId]?.VersionStages ?? [];
      return { ARN: secret.ARN, Name: secret.Name, VersionId: versionId, VersionStages: stages };
    },
    DescribeSecret(input: unknown) {
      const req = parseInput(schemas.describe, input, 'InvalidParameterException');
      const secret = requireSecret(req.SecretId);
      return { ...summary(secret), VersionIdsToStages: versionsToStages(secret) };
    },
    ListSecrets(input: unknown) {
      const req = parseInput(schemas.list, input, 'InvalidParameterException');
      purgeExpired();
      const order = req.SortOrder ?? 'asc';
      const key = (s: StoredSecret): string => `${String(s.CreatedDate).padStart(12, '0')}\u0000${s.Name}`;
      const secrets = Object.values(state.secrets)
        .filter((s) => (req.IncludePlannedDeletion ?? false) || s.DeletedDate === undefined)
        .filter((s) => matchesFilters(s, req.Filters ?? []))
        .sort((a, b) => (key(a) < key(b) ? -1 : 1) * (order === 'asc' ? 1 : -1));
      const invalidToken = () => new AwsError('InvalidNextTokenException', 'The NextToken value is not valid.');
      const page = paginate(secrets, { scope: 'ListSecrets', maxResults: req.MaxResults, nextToken: req.NextToken, invalidToken, resumeAfter: { key, order } });
      return {
        SecretList: page.items.map((s) => ({ ...summary(s), SecretVersionsToStages: versionsToStages(s) })),
        NextToken: page.nextToken,
      };
    },
    DeleteSecret(input: unknown) {
      const req = parseInput(schemas.delete, input, 'InvalidParameterException');
      const secret = requireSecret(req.SecretId);
      if (req.ForceDeleteWithoutRecovery && req.RecoveryWindowInDays !== undefined) {
        throw invalidParameter("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
      }
      const now = nowSeconds();
      if (req.ForceDeleteWithoutRecovery) {
        delete state.secrets[secret.Name];
        store.save();
        return { ARN: secret.ARN, Name: secret.Name, DeletionDate: now };
      }
      if (secret.DeletedDate !== undefined) throw invalidRequest('The secret is already scheduled for deletion.');
      const days = req.RecoveryWindowInDays ?? 30;
      if (days < 7 || days > 30) throw invalidParameter('RecoveryWindowInDays must be between 7 and 30 days.');
      secret.DeletedDate = now;
      secret.DeletionDate = now + days * DAY;
      store.save();
      return { ARN: secret.ARN, Name: secret.Name, DeletionDate: secret.DeletionDate };
    },
  };

  return {
    service: 'secretsmanager',
    handler: awsJsonService({ service: 'secretsmanager', targetPrefix: 'secretsmanager', jsonVersion: '1.1', operations, faults: ctx.faults }),
  };
}

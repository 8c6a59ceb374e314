import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { readIdentityUsers, readTaggedInstances } from '../functions/lib/adapters/aws/adoption-inventory.ts';
import { managedPeople } from '../functions/lib/adapters/dynamodb/employees/adopt.ts';
import { apiSecretName, parseCredentials } from '../functions/lib/adapters/hris/credentials.ts';
import { vendorClient } from '../functions/lib/adapters/hris/directory.ts';
import type { HrisVendor } from '../functions/lib/adapters/hris/http.ts';
import type { AdoptionInventory, RosterRow } from '../functions/lib/domain/adoption/inventory.ts';
import { sfnAdoptionWorkflow, type AdoptionWorkflow } from './adopt-workflow.ts';
import { CliError } from './cli/errors.ts';
import { localClientConfig, localEndpoints, type LocalEndpoints } from './cli/local-env.ts';

/**
 * Where `gatehouse adopt` reads and writes: the HRIS's REST API (credentials from Secrets
 * Manager, `<HRIS_SECRET_PREFIX><vendor>/api`, as the functions read them), the Identity Store,
 * EC2 and the employees table to plan; the adoptions table and the adoption state machine to
 * apply (adopt-workflow.ts). On AWS with your credentials; with --local the running local cloud
 * (its endpoints.env).
 */
export interface AdoptionWorld {
  read(vendor: HrisVendor, onRow?: (count: number) => void): Promise<AdoptionInventory>;
  workflow(): AdoptionWorkflow;
  close(): void;
}

export interface AdoptionWorldOptions {
  local: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
  identityStoreId?: string | undefined;
}

export function connectAdoption({ local, env, cwd, identityStoreId }: AdoptionWorldOptions): AdoptionWorld {
  const endpoints: LocalEndpoints | undefined = local || env.GATEHOUSE_FRONT_DOOR ? localEndpoints(env, cwd) : undefined;
  const storeId = identityStoreId ?? env.IDENTITY_STORE_ID ?? endpoints?.vars.GATEHOUSE_IDENTITY_STORE_ID;
  if (!storeId) throw new CliError('no Identity Store id: pass --identity-store-id d-... (or set IDENTITY_STORE_ID)', 2);
  const prefix = env.GATEHOUSE_TABLE_PREFIX ?? 'gatehouse-';
  const secretPrefix = env.HRIS_SECRET_PREFIX ?? 'gatehouse/hris/';
  const raw = new DynamoDBClient(localClientConfig(endpoints, 'AWS_ENDPOINT_URL_DYNAMODB'));
  const db = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  const identity = new IdentitystoreClient(localClientConfig(endpoints, 'AWS_ENDPOINT_URL_IDENTITYSTORE'));
  const ec2 = new EC2Client(localClientConfig(endpoints, 'AWS_ENDPOINT_URL_EC2'));
  const secrets = new SecretsManagerClient(localClientConfig(endpoints, 'AWS_ENDPOINT_URL_SECRETS_MANAGER'));
  const sfn = new SFNClient(localClientConfig(endpoints, 'AWS_ENDPOINT_URL_SFN'));
  const table = (name: string) => ({ client: db, tableName: `${prefix}${name}` });

  async function roster(vendor: HrisVendor, onRow?: (count: number) => void): Promise<RosterRow[]> {
    const client = await vendorClient(vendor, async (v) => {
      const name = apiSecretName(secretPrefix, v);
      const out = await secrets.send(new GetSecretValueCommand({ SecretId: name }));
      return parseCredentials(v, out.SecretString, name);
    });
    const rows: RosterRow[] = [];
    for await (const row of client.roster()) {
      rows.push(row);
      onRow?.(rows.length);
    }
    return rows;
  }

  return {
    async read(vendor, onRow) {
      const [rows, users, instances, managed] = await Promise.all([
        roster(vendor, onRow),
        readIdentityUsers({ client: identity, identityStoreId: storeId }),
        readTaggedInstances(ec2),
        managedPeople(table('employees')),
      ]);
      return { source: vendor, roster: rows, users, instances, managed };
    },
    workflow() {
      return sfnAdoptionWorkflow(sfn, db, `${prefix}adoptions`, () => Math.floor(Date.now() / 1000));
    },
    close() {
      for (const client of [raw, identity, ec2, secrets, sfn]) client.destroy();
    },
  };
}

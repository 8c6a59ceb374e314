import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { ensureTables, type LocalTableSpec } from '../../local/dynamodb-local.ts';
import { clientConfig } from './emulator.ts';

/** A client for the run-wide DynamoDB Local started by global-setup.ts. */
export function sharedDynamoDbClient(): { client: DynamoDBClient; endpoint: string } {
  const endpoint = inject('dynamodbEndpoint');
  return { client: new DynamoDBClient(clientConfig(endpoint)), endpoint };
}

export interface TestTables<K extends string> {
  client: DynamoDBClient;
  endpoint: string;
  /** Prefix every table of this set carries, e.g. `audit-3f9c2a1b-`. */
  prefix: string;
  /** Real table name per logical name. */
  names: Record<K, string>;
  /** Deletes the tables and closes the client (call it in afterAll). */
  drop(): Promise<void>;
}

/**
 * Creates a uniquely named copy of `specs` in the shared DynamoDB Local, so test files running side
 * by side never see each other's items. Keys are logical names; each spec's TableName is ignored
 * and replaced by `<label>-<random>-<key>`.
 *
 *   let tables: TestTables<'audit'>;
 *   beforeAll(async () => { tables = await createTestTables('audit-chain', { audit: auditSpec }); });
 *   afterAll(() => tables.drop());
 */
export async function createTestTables<K extends string>(
  label: string,
  specs: Record<K, LocalTableSpec>,
): Promise<TestTables<K>> {
  const { client, endpoint } = sharedDynamoDbClient();
  const prefix = `${label.replace(/[^a-zA-Z0-9_.-]/g, '-')}-${randomUUID().slice(0, 8)}-`;
  const entries = Object.entries<LocalTableSpec>(specs).map(([key, spec]) => {
    const tableName = `${prefix}${key}`;
    return [key, { ...spec, create: { ...spec.create, TableName: tableName } }] as const;
  });
  await ensureTables(client, entries.map(([, spec]) => spec));
  const names = Object.fromEntries(entries.map(([key, spec]) => [key, spec.create.TableName])) as Record<K, string>;
  return {
    client,
    endpoint,
    prefix,
    names,
    async drop() {
      await Promise.all(Object.values<string>(names).map((TableName) => client.send(new DeleteTableCommand({ TableName }))));
      client.destroy();
    },
  };
}

/** Deletes every table of the shared DynamoDB Local whose name starts with `prefix` (a local cloud's `tablePrefix`). */
export async function dropTablesWithPrefix(prefix: string): Promise<void> {
  const { client } = sharedDynamoDbClient();
  const tables = (await client.send(new ListTablesCommand({}))).TableNames ?? [];
  await Promise.all(tables.filter((t) => t.startsWith(prefix)).map((TableName) => client.send(new DeleteTableCommand({ TableName }))));
  client.destroy();
}

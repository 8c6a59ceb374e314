import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';

/**
 * A table the local cloud creates: the CreateTable input plus what CreateTable cannot say.
 * Point-in-time recovery is left out on purpose: DynamoDB Local rejects UpdateContinuousBackups.
 */
export type LocalTableSpec = { create: CreateTableCommandInput; ttlAttribute?: string };

const isSpec = (table: LocalTableSpec | CreateTableCommandInput): table is LocalTableSpec => 'create' in table;

const errorName = (error: unknown): string | undefined => (error instanceof Error ? error.name : undefined);

async function waitUntilActive(client: DynamoDBClient, tableName: string, deadline: number): Promise<void> {
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE');
    if (Table?.TableStatus === 'ACTIVE' && indexesActive) return;
    if (Date.now() > deadline) {
      throw new Error(`table ${tableName} is still ${Table?.TableStatus ?? 'unknown'} after waiting for ACTIVE`);
    }
    await new Promise((done) => setTimeout(done, 100));
  }
}

async function ensureTtl(client: DynamoDBClient, tableName: string, attribute: string): Promise<void> {
  const { TimeToLiveDescription: ttl } = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  if (ttl?.TimeToLiveStatus === 'ENABLED' && ttl.AttributeName === attribute) return;
  if (ttl?.TimeToLiveStatus === 'ENABLED') {
    throw new Error(`table ${tableName} already has TTL on ${ttl.AttributeName ?? '?'}, not ${attribute}`);
  }
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: attribute, Enabled: true },
    }),
  );
}

async function ensureTable(client: DynamoDBClient, spec: LocalTableSpec, deadline: number): Promise<void> {
  const tableName = spec.create.TableName;
  if (!tableName) throw new Error('ensureTables: every table needs a TableName');
  try {
    await client.send(new CreateTableCommand(spec.create));
  } catch (error) {
    if (errorName(error) !== 'ResourceInUseException') throw error;
  }
  await waitUntilActive(client, tableName, deadline);
  if (spec.ttlAttribute) await ensureTtl(client, tableName, spec.ttlAttribute);
}

/**
 * Creates every missing table (an existing one is left as it is), waits until each is ACTIVE,
 * then turns on TTL where the spec names an attribute. Safe to call on every boot.
 */
export async function ensureTables(
  client: DynamoDBClient,
  tables: ReadonlyArray<LocalTableSpec | CreateTableCommandInput>,
  options: { timeoutMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  await Promise.all(tables.map((table) => ensureTable(client, isSpec(table) ? table : { create: table }, deadline)));
}

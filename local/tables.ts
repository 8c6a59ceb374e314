import type { AttributeDefinition, CreateTableCommandInput, KeySchemaElement } from '@aws-sdk/client-dynamodb';
import { TABLES, type TableSpec } from '../infra/spec/tables.ts';
import type { LocalTableSpec } from './dynamodb-local.ts';
import { tableName, type LocalNames } from './function-env.ts';

type Key = TableSpec['partitionKey'];

const keySchema = (pk: Key, sk?: Key): KeySchemaElement[] => [
  { AttributeName: pk.name, KeyType: 'HASH' },
  ...(sk ? [{ AttributeName: sk.name, KeyType: 'RANGE' as const }] : []),
];

/** The stack's tables (infra/spec/tables.ts) as CreateTable requests for DynamoDB Local. */
export function localTableSpecs(names: LocalNames): LocalTableSpec[] {
  return TABLES.map((table) => {
    const keys = [table.partitionKey, table.sortKey, ...table.indexes.flatMap((ix) => [ix.partitionKey, ix.sortKey])];
    const attributes = new Map<string, AttributeDefinition>();
    for (const key of keys) if (key) attributes.set(key.name, { AttributeName: key.name, AttributeType: key.type });
    const create: CreateTableCommandInput = {
      TableName: tableName(names, table.name),
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...attributes.values()],
      KeySchema: keySchema(table.partitionKey, table.sortKey),
      ...(table.indexes.length > 0
        ? {
            GlobalSecondaryIndexes: table.indexes.map((ix) => ({
              IndexName: ix.name,
              KeySchema: keySchema(ix.partitionKey, ix.sortKey),
              Projection: { ProjectionType: 'ALL' },
            })),
          }
        : {}),
    };
    return { create, ...(table.ttlAttribute ? { ttlAttribute: table.ttlAttribute } : {}) };
  });
}

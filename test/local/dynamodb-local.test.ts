import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConditionalCheckFailedException,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTables, JavaMissingError, startDynamoDbLocal, type LocalTableSpec } from '../../local/dynamodb-local.ts';
import { parseJavaMajor } from '../../local/java.ts';
import { createTestTables, type TestTables } from '../support/dynamodb.ts';
import { clientConfig } from '../support/emulator.ts';

const grantsTable = (tableName = 'grants'): LocalTableSpec => ({
  create: {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
      { AttributeName: 'entitlement', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: 'byEntitlement',
        KeySchema: [
          { AttributeName: 'entitlement', KeyType: 'HASH' },
          { AttributeName: 'pk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  } satisfies CreateTableCommandInput,
  ttlAttribute: 'expiresAt',
});

const grant = (employeeId: string, entitlement: string) => ({
  pk: { S: `employee#${employeeId}` },
  sk: { S: `grant#${entitlement}` },
  entitlement: { S: entitlement },
});

describe('DynamoDB Local (shared in-memory instance)', () => {
  let tables: TestTables<'grants'>;
  beforeAll(async () => {
    tables = await createTestTables('dynamodb-local', { grants: grantsTable() });
  });
  afterAll(() => tables.drop());

  it('ensureTables leaves an existing table and its items alone', async () => {
    const TableName = tables.names.grants;
    await tables.client.send(new PutItemCommand({ TableName, Item: grant('e-keep', 'github') }));

    await ensureTables(tables.client, [grantsTable(TableName)]);
    await ensureTables(tables.client, [grantsTable(TableName).create]);

    const { Item } = await tables.client.send(new GetItemCommand({ TableName, Key: { pk: { S: 'employee#e-keep' }, sk: { S: 'grant#github' } } }));
    expect(Item?.entitlement).toEqual({ S: 'github' });
  });

  it('accepts a conditional put once, then raises ConditionalCheckFailedException', async () => {
    const put = new PutItemCommand({
      TableName: tables.names.grants,
      Item: grant('e-once', 'aws-admin'),
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    await expect(tables.client.send(put)).resolves.toBeDefined();
    await expect(tables.client.send(put)).rejects.toBeInstanceOf(ConditionalCheckFailedException);
  });

  it('cancels a transaction with a reason per item and writes none of it', async () => {
    const TableName = tables.names.grants;
    await tables.client.send(new PutItemCommand({ TableName, Item: grant('e-tx', 'vpn') }));
    const transaction = new TransactWriteItemsCommand({
      TransactItems: [
        { Put: { TableName, Item: grant('e-tx', 'vpn'), ConditionExpression: 'attribute_not_exists(pk)' } },
        { Put: { TableName, Item: grant('e-tx', 'jira'), ConditionExpression: 'attribute_not_exists(pk)' } },
      ],
    });

    await expect(tables.client.send(transaction)).rejects.toMatchObject({
      name: 'TransactionCanceledException',
      CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
    });
    const { Item } = await tables.client.send(new GetItemCommand({ TableName, Key: { pk: { S: 'employee#e-tx' }, sk: { S: 'grant#jira' } } }));
    expect(Item).toBeUndefined();
  });

  it('queries a global secondary index', async () => {
    const TableName = tables.names.grants;
    for (const [employee, entitlement] of [['e-1', 'ec2-workstation'], ['e-2', 'ec2-workstation'], ['e-3', 'slack']]) {
      await tables.client.send(new PutItemCommand({ TableName, Item: grant(employee ?? '', entitlement ?? '') }));
    }

    const { Items } = await tables.client.send(
      new QueryCommand({
        TableName,
        IndexName: 'byEntitlement',
        KeyConditionExpression: 'entitlement = :e',
        ExpressionAttributeValues: { ':e': { S: 'ec2-workstation' } },
      }),
    );

    expect(Items?.map((item) => item.pk?.S)).toEqual(['employee#e-1', 'employee#e-2']);
  });

  it('describes the TTL setting ensureTables applied', async () => {
    const { TimeToLiveDescription } = await tables.client.send(new DescribeTimeToLiveCommand({ TableName: tables.names.grants }));
    expect(TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
  });
});

describe('DynamoDB Local with a data folder', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-ddb-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps items across a restart on the same folder', async () => {
    const key = { pk: { S: 'employee#e-persist' }, sk: { S: 'grant#github' } };
    const first = await startDynamoDbLocal({ port: 0, dataDir });
    const firstClient = new DynamoDBClient(clientConfig(first.endpoint));
    try {
      await ensureTables(firstClient, [grantsTable()]);
      await firstClient.send(new PutItemCommand({ TableName: 'grants', Item: grant('e-persist', 'github') }));
    } finally {
      firstClient.destroy();
      await first.stop();
    }

    const second = await startDynamoDbLocal({ port: 0, dataDir });
    const secondClient = new DynamoDBClient(clientConfig(second.endpoint));
    try {
      await ensureTables(secondClient, [grantsTable()]);
      const { Item } = await secondClient.send(new GetItemCommand({ TableName: 'grants', Key: key }));
      expect(Item?.entitlement).toEqual({ S: 'github' });
    } finally {
      secondClient.destroy();
      await second.stop();
    }
  }, 90_000);
});

describe('Java detection', () => {
  it('raises JavaMissingError with install instructions when java is not found', async () => {
    const start = startDynamoDbLocal({ port: 0, javaCommand: '/nonexistent/bin/java' });
    await expect(start).rejects.toBeInstanceOf(JavaMissingError);
    await expect(start).rejects.toThrow(/"\/nonexistent\/bin\/java" was not found.*sudo apt-get install -y openjdk-17-jre-headless.*brew install openjdk@17/);
  });

  it('raises JavaMissingError when java is older than 17', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-java-'));
    const fakeJava = join(dir, 'java');
    writeFileSync(fakeJava, '#!/bin/sh\necho \'openjdk version "11.0.2" 2019-01-15\' >&2\n');
    chmodSync(fakeJava, 0o755);
    try {
      await expect(startDynamoDbLocal({ port: 0, javaCommand: fakeJava })).rejects.toThrow(/is Java 11\. Install Java 17/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads old and new version strings', () => {
    expect(parseJavaMajor('openjdk version "17.0.15" 2025-04-15')).toBe(17);
    expect(parseJavaMajor('java version "1.8.0_422"')).toBe(8);
    expect(parseJavaMajor('openjdk version "21" 2023-09-19')).toBe(21);
    expect(parseJavaMajor('no java here')).toBeUndefined();
  });
});

import { DynamoDBClient, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLES, type TableSpec } from '../../infra/spec/tables.ts';
import { AuditIdempotencyMismatchError, AuditWriteConflictError } from '#lib/domain/audit/errors';
import { createAuditStore, type AuditStoreOptions } from '#lib/adapters/dynamodb/audit';
import { verifyChain } from '#lib/domain/audit/chain';
import type { AuditDraft } from '#lib/domain/audit/entry';
import { clientConfig } from '../support/emulator.ts';
import { createTestTables, type TestTables } from '../support/dynamodb.ts';
import { allDrafts, drafts } from '../unit/audit/factories.ts';

/** The audit table exactly as infra/spec/tables.ts describes it. */
function createTableInput(spec: TableSpec): CreateTableCommandInput {
  const keys = [spec.partitionKey, spec.sortKey, ...spec.indexes.flatMap((index) => [index.partitionKey, index.sortKey])];
  const attributes = new Map(keys.filter((key) => key !== undefined).map((key) => [key.name, key.type]));
  const keySchema = (partition: { name: string }, sort?: { name: string }) => [
    { AttributeName: partition.name, KeyType: 'HASH' as const },
    ...(sort ? [{ AttributeName: sort.name, KeyType: 'RANGE' as const }] : []),
  ];
  return {
    TableName: spec.name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
    KeySchema: keySchema(spec.partitionKey, spec.sortKey),
    GlobalSecondaryIndexes: spec.indexes.map((index) => ({
      IndexName: index.name,
      KeySchema: keySchema(index.partitionKey, index.sortKey),
      Projection: { ProjectionType: 'ALL' },
    })),
  };
}

const auditSpec = TABLES.find((table) => table.name === 'audit')!;
let tables: TestTables<'audit'>;
let tableName: string;
let doc: DynamoDBDocumentClient;
let subjects = 0;
/** A fresh subject per test, so tests never share a chain. */
const newSubject = (): string => `E${Date.now().toString(36)}-${(subjects += 1)}`;
const clock = { now: () => new Date() };
const storeWith = (options: Partial<AuditStoreOptions> = {}) => createAuditStore({ client: doc, tableName, clock, ...options });
const keyed = (draft: AuditDraft, idempotencyKey: string): AuditDraft => ({ ...draft, idempotencyKey });

beforeAll(async () => {
  tables = await createTestTables('audit-store', { audit: { create: createTableInput(auditSpec) } });
  tableName = tables.names.audit;
  doc = DynamoDBDocumentClient.from(tables.client, { marshallOptions: { removeUndefinedValues: true } });
});
afterAll(() => tables.drop());

describe('audit store against DynamoDB Local', () => {
  it('appends a chain that verifies and is found through the entitlement index', async () => {
    const subject = newSubject();
    const store = storeWith();

    const written = [];
    for (const draft of allDrafts(subject)) written.push(await store.append(draft));
    const listed = await store.listBySubject(subject);
    const byEntitlement = await doc.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'byEntitlement',
        KeyConditionExpression: 'entitlementId = :e',
        FilterExpression: '#s = :s',
        ExpressionAttributeNames: { '#s': 'subject' },
        ExpressionAttributeValues: { ':e': 'aws-prod-readonly', ':s': subject },
      }),
    );

    expect(written.map((entry) => entry.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(listed).toEqual(written);
    expect(verifyChain(listed)).toEqual({ ok: true });
    expect(byEntitlement.Items?.map((item) => String(item.kind)).sort()).toEqual(['approval.approved', 'grant.applied']);
  });

  it('lands 10 concurrent appends for one subject at seq 1..10 in one valid chain', async () => {
    const subject = newSubject();
    const writers = Array.from({ length: 10 }, () => storeWith());

    const written = await Promise.all(writers.map((store, index) => store.append({ ...drafts.grantApplied(subject), reason: `writer ${index}` })));
    const listed = await writers[0]!.listBySubject(subject);

    expect(written.map((entry) => entry.seq).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(listed.map((entry) => entry.reason).sort()).toEqual(written.map((entry) => entry.reason).sort());
    expect(verifyChain(listed)).toEqual({ ok: true });
  });

  it('writes an idempotency key once, also when two retries race', async () => {
    const subject = newSubject();
    const store = storeWith();
    await store.append(drafts.requestReceived(subject));

    const first = await store.append(keyed(drafts.grantApplied(subject), 'exec-1/Grant Access'));
    const again = await store.append(keyed(drafts.grantApplied(subject), 'exec-1/Grant Access'));
    const raced = await Promise.all([1, 2, 3].map(() => storeWith().append(keyed(drafts.policyDecided(subject), 'exec-1/Decide'))));
    const listed = await store.listBySubject(subject);

    expect(again).toEqual(first);
    expect(new Set(raced.map((entry) => entry.hash)).size).toBe(1);
    expect(listed.map((entry) => entry.kind)).toEqual(['request.received', 'grant.applied', 'policy.decided']);
  });

  it('finds a key written long before the recent entries', async () => {
    const subject = newSubject();
    const store = storeWith();
    const original = await store.append(keyed(drafts.grantApplied(subject), 'exec-old/Grant Access'));
    for (let index = 0; index < 25; index += 1) await store.append({ ...drafts.provisioningFailed(subject), reason: `noise ${index}` });

    const retried = await store.append(keyed(drafts.grantApplied(subject), 'exec-old/Grant Access'));

    expect(retried).toEqual(original);
    expect(await store.listBySubject(subject)).toHaveLength(26);
  });

  it('rejects a reused idempotency key for another fact', async () => {
    const subject = newSubject();
    const store = storeWith();
    await store.append(keyed(drafts.grantApplied(subject), 'exec-2/Step'));

    await expect(store.append(keyed(drafts.approvalApproved(subject), 'exec-2/Step'))).rejects.toBeInstanceOf(AuditIdempotencyMismatchError);
  });

  it('refuses a direct overwrite of an existing seq', async () => {
    const subject = newSubject();
    const entry = await storeWith().append(drafts.requestReceived(subject));
    const forged = { ...entry, reason: 'rewritten' };

    await expect(
      doc.send(
        new PutCommand({
          TableName: tableName,
          Item: forged,
          ConditionExpression: 'attribute_not_exists(subject) AND attribute_not_exists(seq)',
        }),
      ),
    ).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    const stored = await doc.send(new GetCommand({ TableName: tableName, Key: { subject, seq: 1 }, ConsistentRead: true }));
    expect(stored.Item?.reason).toBe(entry.reason);
  });

  it('gives up with a retryable AuditWriteConflictError when every attempt loses the race', async () => {
    const subject = newSubject();
    await storeWith().append(drafts.requestReceived(subject));
    // A client whose reads never see the head: every attempt chains at seq 1 and loses.
    const blind = new DynamoDBClient(clientConfig(tables.endpoint));
    blind.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        if (context.commandName === 'QueryCommand') (result.output as { Items?: unknown[] }).Items = [];
        return result;
      },
      { step: 'initialize' },
    );
    const pauses: number[] = [];
    const store = storeWith({ client: blind, maxAttempts: 4, sleep: (ms) => Promise.resolve(void pauses.push(ms)) });

    const failure = await store.append(drafts.policyDecided(subject)).catch((error: unknown) => error);
    blind.destroy();

    expect(failure).toBeInstanceOf(AuditWriteConflictError);
    expect(failure).toMatchObject({ name: 'AuditWriteConflictError', retryable: true });
    expect(pauses).toHaveLength(3);
  });

  it('treats its own put, re-sent after a lost response, as written (no second entry)', async () => {
    const subject = newSubject();
    const resending = new DynamoDBClient(clientConfig(tables.endpoint));
    resending.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName !== 'PutItemCommand') return next(args);
        await next(args);
        return next(args); // the "retry": fails the condition on our own item
      },
      { step: 'initialize' },
    );
    const store = storeWith({ client: resending });

    const entry = await store.append(drafts.requestReceived(subject));
    const listed = await store.listBySubject(subject);
    resending.destroy();

    expect(entry.seq).toBe(1);
    expect(listed).toEqual([entry]);
  });
});

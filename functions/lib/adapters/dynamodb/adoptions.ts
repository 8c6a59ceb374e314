import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { callAws, conditionalWrite } from '../aws/call-aws.ts';
import type { AdoptionBatch, AdoptionPlanHeader } from '../../domain/adoption/batches.ts';
import { NotFoundError, ValidationError } from '../../domain/shared/errors.ts';

/**
 * The adoptions table (infra/spec/tables.ts): a reviewed adoption plan, stored by the CLI where the
 * adoption workflow reads it, so the execution passes only the plan's id (Step Functions' 256 KiB
 * payload quota: domain/adoption/batches.ts). Key `planId` (= the execution name) and `part`: 0 is
 * the header, 1..n the batches. Each part is written once (conditional put): storing the same plan
 * again changes nothing. Items expire after 90 days, as long as Step Functions keeps an execution
 * name taken ("names must be unique ... for 90 days", API_StartExecution).
 */

const RETENTION_SECONDS = 90 * 24 * 60 * 60;
/** DynamoDB's item limit is 400 KB; a part's JSON is refused well before it. */
const MAX_PART_BYTES = 350_000;

export interface AdoptionsTable {
  client: Pick<DynamoDBDocumentClient, 'send'>;
  tableName: string;
}

const itemSchema = z.object({ planId: z.string(), part: z.int(), body: z.string() });

export interface StoredPlanReader {
  header(planId: string): Promise<AdoptionPlanHeader>;
  batch(planId: string, index: number): Promise<AdoptionBatch>;
}

async function putPart(table: AdoptionsTable, planId: string, part: number, body: unknown, nowSeconds: number): Promise<void> {
  const text = JSON.stringify(body);
  if (Buffer.byteLength(text) > MAX_PART_BYTES) throw new ValidationError(`adoption plan ${planId} part ${part} is ${Buffer.byteLength(text)} bytes, over ${MAX_PART_BYTES}: store smaller batches`);
  // false: stored by an earlier apply of the same plan.
  await conditionalWrite('PutItem adoptions', () =>
    table.client.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { planId, part, body: text, expiresAtEpoch: nowSeconds + RETENTION_SECONDS },
        ConditionExpression: 'attribute_not_exists(planId)',
      }),
    ),
  );
}

/** Stores every batch, then the header (the workflow's start reads the header: it exists only once the batches do). */
export async function storeAdoptionPlan(table: AdoptionsTable, header: AdoptionPlanHeader, batches: readonly AdoptionBatch[], nowSeconds: number): Promise<void> {
  for (const [index, batch] of batches.entries()) await putPart(table, header.planId, index + 1, batch, nowSeconds);
  await putPart(table, header.planId, 0, header, nowSeconds);
}

export function createStoredPlanReader(table: AdoptionsTable): StoredPlanReader {
  async function part(planId: string, index: number): Promise<unknown> {
    const { Item: item } = await callAws('GetItem adoptions', () => table.client.send(new GetCommand({ TableName: table.tableName, Key: { planId, part: index }, ConsistentRead: true })));
    if (item === undefined) throw new NotFoundError(`adoption plan ${planId} has no part ${index}: store the plan first (gatehouse adopt --apply)`);
    return JSON.parse(itemSchema.parse(item).body) as unknown;
  }
  return {
    header: async (planId) => (await part(planId, 0)) as AdoptionPlanHeader,
    batch: async (planId, index) => (await part(planId, index + 1)) as AdoptionBatch,
  };
}

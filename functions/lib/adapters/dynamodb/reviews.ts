import { BatchWriteCommand, type BatchWriteCommandInput, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { asTransient, callAws, conditionalWrite } from '../aws/call-aws.ts';
import { queryAll as queryAllPages } from './pages.ts';
import { campaignDefinitionSchema, type Campaign } from '../../domain/reviews/campaign.ts';
import type { ReviewItem } from '../../domain/reviews/items.ts';
import type { ReviewStore } from '../../domain/reviews/ports.ts';

/**
 * The `reviews` table: one partition per campaign (`campaignId`), the campaign itself at sort key
 * `campaign`, each item at `item#<employeeId>#<grantKey>`, each reviewer's link at `link#<linkId>`.
 * A pending item carries `queueReviewer` (who decides next), so the `byReviewer` index is exactly
 * the open queues (sparse: a decided item drops out of it). Its own table, not items of `requests`
 * or `grants`: a campaign is thousands of items under one key with a reviewer index, and the grants
 * table must stay "who has what now" for every workflow's reads.
 */

export interface ReviewsTable {
  client: Pick<DynamoDBDocumentClient, 'send'>;
  tableName: string;
}

const CAMPAIGN_KEY = 'campaign';
type WriteRequests = NonNullable<BatchWriteCommandInput['RequestItems']>[string];
const itemKeyOf = (itemId: string): string => `item#${itemId}`;

const campaignItemSchema = z.looseObject({
  campaignId: z.string(),
  executionId: z.string(),
  definition: campaignDefinitionSchema,
  status: z.enum(['open', 'closed']),
  startedAt: z.string(),
  dueAt: z.string(),
  deadlineAt: z.string(),
  snapshotHash: z.string(),
  itemCount: z.number(),
  closeRequestedAt: z.string().optional(),
  closedAt: z.string().optional(),
});

/** The one item schema of a review item, as stored (the domain's ReviewItem plus keys). */
const reviewItemSchema = z.looseObject({
  campaignId: z.string(),
  itemId: z.string(),
  employeeId: z.string(),
  personEmail: z.string(),
  personName: z.string().optional(),
  since: z.string().optional(),
  entitlementId: z.string(),
  grantKey: z.string(),
  source: z.string(),
  risk: z.enum(['low', 'high']),
  reviewers: z.array(z.string()).min(1),
  escalations: z.array(z.string()).min(1),
  stage: z.number().int(),
  status: z.enum(['pending', 'decided', 'remediated']),
  decision: z.enum(['keep', 'revoke', 'flag']).optional(),
  decidedBy: z.string().optional(),
  decidedAt: z.string().optional(),
  justification: z.string().optional(),
  defaulted: z.boolean().optional(),
  escalated: z.boolean().optional(),
  remediatedAt: z.string().optional(),
  remediation: z.enum(['removed', 'kept', 'manual']).optional(),
});

const linkItemSchema = z.looseObject({ campaignId: z.string(), linkId: z.string(), reviewer: z.string(), csrfSecret: z.string(), expiresAt: z.string() });

function toCampaign(raw: Record<string, unknown>): Campaign {
  const { campaignId, executionId, definition, status, startedAt, dueAt, deadlineAt, snapshotHash, itemCount, closeRequestedAt, closedAt } = campaignItemSchema.parse(raw);
  return { campaignId, executionId, definition, status, startedAt, dueAt, deadlineAt, snapshotHash, itemCount, ...(closeRequestedAt ? { closeRequestedAt } : {}), ...(closedAt ? { closedAt } : {}) };
}

const STORAGE_ONLY = new Set(['itemKey', 'kind', 'queueReviewer']);

function toItem(raw: Record<string, unknown>): ReviewItem {
  const parsed: Record<string, unknown> = reviewItemSchema.parse(raw);
  return Object.fromEntries(Object.entries(parsed).filter(([key]) => !STORAGE_ONLY.has(key))) as unknown as ReviewItem;
}

/** The stored form: keys, and the queue attribute while someone must decide. */
function storedItem(item: ReviewItem): Record<string, unknown> {
  const queueReviewer = item.status === 'pending' ? (item.escalated ? item.escalations[item.stage] : item.reviewers[item.stage]) : undefined;
  return { ...item, itemKey: itemKeyOf(item.itemId), kind: 'item', ...(queueReviewer ? { queueReviewer } : {}) };
}

export function createReviewStore(table: ReviewsTable): ReviewStore {
  const { client, tableName: TableName } = table;
  /** BatchWriteItem, 25 requests a call (its limit); unprocessed requests under load are resent, backing off. */
  async function batchWrite(all: WriteRequests, doing: string): Promise<void> {
    for (let i = 0; i < all.length; i += 25) {
      let requests = all.slice(i, i + 25);
      for (let attempt = 0; requests.length > 0; attempt += 1) {
        if (attempt > 8) throw asTransient(Object.assign(new Error('unprocessed items'), { name: 'ThrottlingException' }), doing);
        if (attempt > 0) await new Promise((done) => setTimeout(done, Math.random() * Math.min(1000, 20 * 2 ** attempt)));
        const result = await callAws(doing, () => client.send(new BatchWriteCommand({ RequestItems: { [TableName]: requests } })));
        requests = result.UnprocessedItems?.[TableName] ?? [];
      }
    }
  }

  const queryAll = (input: { IndexName?: string; KeyConditionExpression: string; ExpressionAttributeValues: Record<string, unknown>; FilterExpression?: string; ExpressionAttributeNames?: Record<string, string> }) =>
    queryAllPages(client, { TableName, ...input, ...(input.IndexName ? {} : { ConsistentRead: true }) }, 'reading reviews');

  return {
    async getCampaign(campaignId) {
      const { Item } = await callAws('reading a campaign', () => client.send(new GetCommand({ TableName, Key: { campaignId, itemKey: CAMPAIGN_KEY }, ConsistentRead: true })));
      return Item ? toCampaign(Item) : undefined;
    },

    createCampaign(campaign) {
      return conditionalWrite('creating a campaign', () =>
        client.send(new PutCommand({ TableName, Item: { ...campaign, itemKey: CAMPAIGN_KEY, kind: 'campaign' }, ConditionExpression: 'attribute_not_exists(campaignId)' })),
      );
    },

    async putItems(items) {
      await batchWrite(items.map((item) => ({ PutRequest: { Item: storedItem(item) } })), 'writing review items');
    },

    async deleteItems(campaignId, itemIds) {
      await batchWrite(itemIds.map((itemId) => ({ DeleteRequest: { Key: { campaignId, itemKey: itemKeyOf(itemId) } } })), 'deleting stray review items');
    },

    async getItem(campaignId, itemId) {
      const { Item } = await callAws('reading a review item', () => client.send(new GetCommand({ TableName, Key: { campaignId, itemKey: itemKeyOf(itemId) }, ConsistentRead: true })));
      return Item ? toItem(Item) : undefined;
    },

    replaceItem(next, expected) {
      return conditionalWrite('recording a review decision', () =>
        client.send(
          new PutCommand({
            TableName,
            Item: storedItem(next),
            ConditionExpression: '#status = :status AND #stage = :stage',
            ExpressionAttributeNames: { '#status': 'status', '#stage': 'stage' },
            ExpressionAttributeValues: { ':status': expected.status, ':stage': expected.stage },
          }),
        ),
      );
    },

    async listItems(campaignId) {
      const raw = await queryAll({ KeyConditionExpression: 'campaignId = :c AND begins_with(itemKey, :item)', ExpressionAttributeValues: { ':c': campaignId, ':item': 'item#' } });
      return raw.map(toItem);
    },

    async queueOf(reviewer) {
      const raw = await queryAll({ IndexName: 'byReviewer', KeyConditionExpression: 'queueReviewer = :r', ExpressionAttributeValues: { ':r': reviewer.trim().toLowerCase() } });
      return raw.map(toItem).filter((item) => item.status === 'pending');
    },

    requestClose(campaignId, at) {
      return conditionalWrite('closing a campaign', () =>
        client.send(
          new UpdateCommand({
            TableName,
            Key: { campaignId, itemKey: CAMPAIGN_KEY },
            UpdateExpression: 'SET closeRequestedAt = if_not_exists(closeRequestedAt, :at)',
            ConditionExpression: '#status = :open',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':at': at, ':open': 'open' },
          }),
        ),
      );
    },

    async putLink(link) {
      await callAws('storing a review link', () => client.send(new PutCommand({ TableName, Item: { ...link, itemKey: `link#${link.linkId}`, kind: 'link' }, ConditionExpression: 'attribute_not_exists(itemKey)' })));
    },

    async getLink(campaignId, linkId) {
      const { Item } = await callAws('reading a review link', () => client.send(new GetCommand({ TableName, Key: { campaignId, itemKey: `link#${linkId}` }, ConsistentRead: true })));
      const parsed = linkItemSchema.safeParse(Item);
      return parsed.success ? { campaignId: parsed.data.campaignId, linkId: parsed.data.linkId, reviewer: parsed.data.reviewer, csrfSecret: parsed.data.csrfSecret, expiresAt: parsed.data.expiresAt } : undefined;
    },

    markClosed(campaignId, at) {
      return conditionalWrite('closing a campaign', () =>
        client.send(
          new UpdateCommand({
            TableName,
            Key: { campaignId, itemKey: CAMPAIGN_KEY },
            UpdateExpression: 'SET #status = :closed, closedAt = :at',
            ConditionExpression: '#status = :open',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':at': at, ':open': 'open', ':closed': 'closed' },
          }),
        ),
      );
    },
  };
}

import {
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { DomainError } from '../../domain/shared/errors.ts';
import { callAws, conditionalWrite, isConditionFailure } from '../aws/call-aws.ts';
import { queryAll } from './pages.ts';
import { approvalSchema, normaliseEmail, slotSchema, type Approval } from '../../domain/approvals/approval.ts';
import type { NewestApproval } from '../../domain/slack/closed-in-slack.ts';
import type { ApprovalHistory, ApprovalRepository, EarlierStep } from '../../domain/approvals/ports.ts';
import type { ApprovalLookup } from '../../domain/outcomes/ports.ts';

/** A stored approval item that no longer matches its schema. */
export class ApprovalCorruptError extends DomainError {
  readonly statusCode = 500;
}

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export function createApprovalRepository(options: { client: DynamoDBDocumentClient; tableName: string }): ApprovalRepository {
  const { client, tableName: TableName } = options;

  async function getItem(approvalId: string): Promise<Record<string, unknown> | undefined> {
    const { Item } = await callAws('reading an approval', () => client.send(new GetCommand({ TableName, Key: { approvalId }, ConsistentRead: true })));
    return Item;
  }

  function toApproval(item: Record<string, unknown>): Approval {
    const parsed = approvalSchema.safeParse(item);
    if (!parsed.success) throw new ApprovalCorruptError('an approval item does not match the approval schema', { cause: parsed.error });
    return parsed.data;
  }

  const transact = (items: TransactItem[], doing: string) =>
    conditionalWrite(doing, () => client.send(new TransactWriteCommand({ TransactItems: items })));

  async function update(approvalId: string, set: Record<string, unknown>, condition: string, values: Record<string, unknown> = {}) {
    // Every `#name` the condition reads is the attribute of that name (`#status`, `#delivery`, ...).
    const names: Record<string, string> = Object.fromEntries([...condition.matchAll(/#(\w+)/g)].map(([token, name]) => [token, name ?? '']));
    const assignments = Object.keys(set).map((key) => {
      names[`#${key}`] = key;
      return `#${key} = :${key}`;
    });
    const attributes = { ...values, ...Object.fromEntries(Object.entries(set).map(([key, value]) => [`:${key}`, value])) };
    try {
      const { Attributes } = await callAws('updating an approval', () =>
        client.send(
          new UpdateCommand({
            TableName,
            Key: { approvalId },
            UpdateExpression: `SET ${assignments.join(', ')}`,
            ConditionExpression: condition,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: attributes,
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      return Attributes ? toApproval(Attributes) : undefined;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  return {
    async get(approvalId) {
      const item = await getItem(approvalId);
      return item?.itemType === 'approval' ? toApproval(item) : undefined;
    },

    async getSlot(slotKey) {
      const item = await getItem(slotKey);
      if (!item) return undefined;
      const parsed = slotSchema.safeParse(item);
      if (!parsed.success) throw new ApprovalCorruptError('an approval slot item does not match its schema', { cause: parsed.error });
      return parsed.data;
    },

    create(approval, slot, previous) {
      const items: TransactItem[] = [
        // approverEmail keys the byApprover index (the console's inbox); approval.approver.email is already lower case.
        { Put: { TableName, Item: { ...approvalSchema.parse(approval), approverEmail: normaliseEmail(approval.approver.email) }, ConditionExpression: 'attribute_not_exists(approvalId)' } },
        previous
          ? {
              Put: {
                TableName,
                Item: slotSchema.parse(slot),
                ConditionExpression: 'tokenHash = :previous',
                ExpressionAttributeValues: { ':previous': previous.tokenHash },
              },
            }
          : { Put: { TableName, Item: slotSchema.parse(slot), ConditionExpression: 'attribute_not_exists(approvalId)' } },
      ];
      if (previous?.supersede) {
        items.push({
          Update: {
            TableName,
            Key: { approvalId: previous.supersede },
            UpdateExpression: 'SET #status = :superseded, supersededBy = :ref',
            ConditionExpression: '#status = :pending',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':superseded': 'superseded', ':pending': 'pending', ':ref': approval.ref },
          },
        });
      }
      return transact(items, 'creating an approval');
    },

    rebind(approvalId, slotKey, fromTokenHash, to) {
      return transact(
        [
          {
            Update: {
              TableName,
              Key: { approvalId: slotKey },
              UpdateExpression: 'SET tokenHash = :to, updatedAt = :at, expiresAtEpoch = :epoch',
              ConditionExpression: 'tokenHash = :from AND currentApprovalId = :id',
              ExpressionAttributeValues: { ':to': to.tokenHash, ':from': fromTokenHash, ':at': to.at, ':epoch': to.expiresAtEpoch, ':id': approvalId },
            },
          },
          {
            Update: {
              TableName,
              Key: { approvalId },
              UpdateExpression:
                'SET taskToken = :token, tokenHash = :to, expiresAt = :expiresAt, expiresAtEpoch = :epoch, rebinds = rebinds + :one',
              ConditionExpression: '#status = :pending AND tokenHash = :from AND expiresAt > :at',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: {
                ':token': to.taskToken,
                ':to': to.tokenHash,
                ':from': fromTokenHash,
                ':expiresAt': to.expiresAt,
                ':epoch': to.expiresAtEpoch,
                ':one': 1,
                ':pending': 'pending',
                ':at': to.at,
              },
            },
          },
        ],
        'rebinding an approval',
      );
    },

    async claimMail(approvalId, now, leaseUntil) {
      const claimed = await update(
        approvalId,
        { mailLeaseUntil: leaseUntil },
        '#status = :pending AND attribute_not_exists(mailedAt) AND (attribute_not_exists(#mailLeaseUntil) OR #mailLeaseUntil < :now)',
        { ':pending': 'pending', ':now': now },
      );
      return claimed !== undefined;
    },

    async markMailed(approvalId, at) {
      await update(approvalId, { mailedAt: at }, 'attribute_exists(approvalId)');
    },

    async releaseMail(approvalId) {
      try {
        await callAws('releasing the e-mail lease', () =>
          client.send(
            new UpdateCommand({
              TableName,
              Key: { approvalId },
              UpdateExpression: 'REMOVE mailLeaseUntil',
              ConditionExpression: 'attribute_exists(approvalId) AND attribute_not_exists(mailedAt)',
            }),
          ),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    },

    async claimSlack(approvalId, at) {
      return (await update(approvalId, { slackedAt: at }, '#status = :pending AND attribute_not_exists(slackedAt)', { ':pending': 'pending' })) !== undefined;
    },

    async recordSlackMessage(approvalId, channel, ts) {
      await update(approvalId, { slackChannel: channel, slackTs: ts }, 'attribute_exists(approvalId)');
    },

    decide(approvalId, decision, now) {
      const set: Record<string, unknown> = { ...decision, delivery: 'pending' };
      if (decision.comment === undefined) delete set.comment;
      return update(approvalId, set, '#status = :pending AND expiresAt > :now', { ':pending': 'pending', ':now': now });
    },

    async claimDelivery(approvalId, now, leaseUntil) {
      const claimed = await update(
        approvalId,
        { deliveryLeaseUntil: leaseUntil },
        '#status IN (:approved, :denied) AND #delivery = :pending AND (attribute_not_exists(#deliveryLeaseUntil) OR #deliveryLeaseUntil < :now)',
        { ':approved': 'approved', ':denied': 'denied', ':pending': 'pending', ':now': now },
      );
      return claimed !== undefined;
    },

    async releaseDelivery(approvalId) {
      // The epoch: earlier than any `now`, so the next claimDelivery takes it.
      await update(approvalId, { deliveryLeaseUntil: new Date(0).toISOString() }, '#delivery = :pending', { ':pending': 'pending' });
    },

    async recordDelivery(approvalId, delivery, at) {
      // `delivered` wins over a `task-gone` stored by a slower caller, never the other way round.
      const condition = delivery === 'delivered' ? '(attribute_not_exists(#delivery) OR #delivery <> :delivered)' : '(attribute_not_exists(#delivery) OR #delivery = :pending)';
      const values = delivery === 'delivered' ? { ':delivered': 'delivered' } : { ':pending': 'pending' };
      await update(approvalId, { delivery, deliveredAt: at }, `#status IN (:approved, :denied) AND ${condition}`, { ':approved': 'approved', ':denied': 'denied', ...values });
    },

    cancel(approvalId, at) {
      return update(approvalId, { status: 'cancelled', cancelledAt: at }, '#status = :pending', { ':pending': 'pending' });
    },

    withdraw(approvalId, withdrawal) {
      const set = { status: 'cancelled', cancelledAt: withdrawal.at, withdrawnBy: withdrawal.by, withdrawnAs: withdrawal.as, ...(withdrawal.reason ? { withdrawReason: withdrawal.reason } : {}) };
      return update(approvalId, set, '#status = :pending AND expiresAt > :now', { ':pending': 'pending', ':now': withdrawal.at });
    },
  };
}

/**
 * The fields the lookup reads of an approval item: looser than `approvalSchema` on purpose, so
 * an item written by an older version still names its outcome in the audit.
 */
const summarySchema = z.looseObject({
  itemType: z.literal('approval'),
  approvalId: z.string(),
  ref: z.string().min(1),
  executionId: z.string(),
  step: z.number(),
  status: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  decidedBy: z.string().optional(),
  comment: z.string().optional(),
  decidedAt: z.string().optional(),
  approver: z.looseObject({ email: z.string(), kind: z.string() }).optional(),
  withdrawnBy: z.string().optional(),
  withdrawnAs: z.string().optional(),
  withdrawReason: z.string().optional(),
});

/**
 * Finds the execution's approvals through the `byRequest` index, then re-reads the newest one
 * consistently from the table: the index may lag a decision made a moment ago.
 */
export function createApprovalLookup(options: { client: DynamoDBDocumentClient; tableName: string }): ApprovalLookup & ApprovalHistory & NewestApproval {
  const { client, tableName: TableName } = options;
  /** The execution's newest approval as the index lists it, and as the table holds it now. */
  async function newest(requestId: string, executionId: string) {
    const items = await queryAll(
      client,
      { TableName, IndexName: 'byRequest', KeyConditionExpression: 'requestId = :requestId', ExpressionAttributeValues: { ':requestId': requestId } },
      'finding the approvals of the request',
    );
    const found = items.flatMap((raw) => {
      const parsed = summarySchema.safeParse(raw);
      return parsed.success && parsed.data.executionId === executionId ? [parsed.data] : [];
    });
    const indexed = found.sort((a, b) => b.step - a.step || b.createdAt.localeCompare(a.createdAt))[0];
    if (!indexed) return undefined;
    const { Item: fresh } = await callAws('reading the approval', () => client.send(new GetCommand({ TableName, Key: { approvalId: indexed.approvalId }, ConsistentRead: true })));
    return { indexed, fresh };
  }
  return {
    async newestApproval(requestId, executionId) {
      const parsed = approvalSchema.safeParse((await newest(requestId, executionId))?.fresh);
      return parsed.success ? parsed.data : undefined;
    },

    async earlierSteps(requestId, executionId, step) {
      const items = await queryAll(
        client,
        { TableName, IndexName: 'byRequest', KeyConditionExpression: 'requestId = :requestId', ExpressionAttributeValues: { ':requestId': requestId } },
        'finding the earlier approvals of the request',
      );
      return items
        .flatMap((raw): EarlierStep[] => {
          const parsed = summarySchema.safeParse(raw);
          const item = parsed.success ? parsed.data : undefined;
          if (!item || item.executionId !== executionId || item.step >= step || (item.status !== 'approved' && item.status !== 'denied')) return [];
          const decision = item.status === 'approved' ? 'approved' : 'denied';
          return [{ step: item.step, approver: item.decidedBy ?? item.approver?.email ?? 'unknown', decision, ...(item.decidedAt ? { decidedAt: item.decidedAt } : {}), ...(item.comment ? { comment: item.comment } : {}) }];
        })
        .sort((a, b) => a.step - b.step);
    },

    async latest(requestId, executionId) {
      const found = await newest(requestId, executionId);
      if (!found) return undefined;
      const current = summarySchema.safeParse(found.fresh);
      const item = current.success ? current.data : found.indexed;
      return {
        ref: item.ref,
        status: item.status,
        expiresAt: item.expiresAt,
        ...(item.decidedBy ? { decidedBy: item.decidedBy } : {}),
        ...(item.comment ? { comment: item.comment } : {}),
        ...(item.approver ? { approver: item.approver.email } : {}),
        ...(item.withdrawnBy ? { withdrawnBy: item.withdrawnBy } : {}),
        ...(item.withdrawnAs ? { withdrawnAs: item.withdrawnAs } : {}),
        ...(item.withdrawReason ? { withdrawReason: item.withdrawReason } : {}),
      };
    },
  };
}

import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { NotificationLedger } from '../../domain/notifications/ports.ts';
import { callAws, isConditionFailure } from '../aws/call-aws.ts';

/**
 * The `notifications` table: one item per notification id (kind, person, request), the ledger
 * that keeps a retry from mailing twice. A claim is one conditional UpdateItem; the item's
 * `state` is `sending`, `sent` or `uncertain` (domain/notifications/delivery.ts). TTL removes
 * items after `RETENTION_DAYS` (longer than any retry or re-run of a request, and than the 90 days
 * Step Functions keeps an execution name unique).
 */
export const NOTIFICATION_RETENTION_DAYS = 120;

export function createNotificationLedger(options: { client: DynamoDBDocumentClient; tableName: string }): NotificationLedger {
  const { client, tableName: TableName } = options;
  return {
    async claim(claim) {
      const expiresAtEpoch = Math.floor(Date.parse(claim.now) / 1000) + NOTIFICATION_RETENTION_DAYS * 86_400;
      try {
        const old = await callAws('claiming a notification', () =>
          client.send(
            new UpdateCommand({
              TableName,
              Key: { notificationId: claim.notificationId },
              UpdateExpression: 'SET kind = :kind, employeeId = :employeeId, requestId = :requestId, leaseUntil = :leaseUntil, expiresAtEpoch = :ttl, #state = :sending',
              ConditionExpression: 'attribute_not_exists(sentAt) AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)',
              // The old item tells a fresh claim from one taking over an expired lease (a crashed attempt).
              ReturnValues: 'ALL_OLD',
              ExpressionAttributeNames: { '#state': 'state' },
              ExpressionAttributeValues: {
                ':sending': 'sending',
                ':kind': claim.kind,
                ':employeeId': claim.employeeId,
                ':requestId': claim.requestId,
                ':leaseUntil': claim.leaseUntil,
                ':ttl': expiresAtEpoch,
                ':now': claim.now,
              },
            }),
          ),
        );
        return old.Attributes?.leaseUntil ? 'reclaimed' : 'claimed';
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
      const { Item } = await callAws('reading a notification', () => client.send(new GetCommand({ TableName, Key: { notificationId: claim.notificationId }, ConsistentRead: true })));
      return Item?.sentAt ? 'sent' : 'busy';
    },

    async markSent(notificationId, at, messageId, recipients) {
      await callAws('recording a sent notification', () =>
        client.send(
          new UpdateCommand({
            TableName,
            Key: { notificationId },
            UpdateExpression: `SET sentAt = :at, recipients = :recipients, #state = :sent${messageId ? ', messageId = :messageId' : ''} REMOVE leaseUntil`,
            ConditionExpression: 'attribute_exists(notificationId)',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':at': at, ':recipients': recipients, ':sent': 'sent', ...(messageId ? { ':messageId': messageId } : {}) },
          }),
        ),
      );
    },

    async markUncertain(notificationId, at) {
      // sentAt set: every later claim answers `sent`, so it is never tried again.
      try {
        await callAws('recording an uncertain notification', () =>
          client.send(
            new UpdateCommand({
              TableName,
              Key: { notificationId },
              UpdateExpression: 'SET sentAt = :at, #state = :uncertain REMOVE leaseUntil',
              ConditionExpression: 'attribute_exists(notificationId) AND attribute_not_exists(sentAt)',
              ExpressionAttributeNames: { '#state': 'state' },
              ExpressionAttributeValues: { ':at': at, ':uncertain': 'uncertain' },
            }),
          ),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    },

    async release(notificationId) {
      try {
        await callAws('releasing a notification lease', () =>
          client.send(
            new UpdateCommand({
              TableName,
              Key: { notificationId },
              UpdateExpression: 'REMOVE leaseUntil, #state',
              ExpressionAttributeNames: { '#state': 'state' },
              ConditionExpression: 'attribute_exists(notificationId) AND attribute_not_exists(sentAt)',
            }),
          ),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    },
  };
}

import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { NotificationLedger } from '../../domain/notifications/ports.ts';
import { callAws, isConditionFailure } from '../aws/call-aws.ts';

/**
 * The `notifications` table: one item per notification id (kind, person, request), the ledger
 * that keeps a retry from mailing twice. A claim is one conditional UpdateItem; TTL removes
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
        await callAws('claiming a notification', () =>
          client.send(
            new UpdateCommand({
              TableName,
              Key: { notificationId: claim.notificationId },
              UpdateExpression: 'SET kind = :kind, employeeId = :employeeId, requestId = :requestId, leaseUntil = :leaseUntil, expiresAtEpoch = :ttl',
              ConditionExpression: 'attribute_not_exists(sentAt) AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)',
              ExpressionAttributeValues: {
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
        return 'claimed';
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
      const { Item } = await callAws('reading a notification', () => client.send(new GetCommand({ TableName, Key: { notificationId: claim.notificationId }, ConsistentRead: true })));
      return Item?.sentAt ? 'sent' : 'busy';
    },

    async markSent(notificationId, at, messageId, recipients) {
      await callAws('recording a sent notification', () => client.send(
          new UpdateCommand({
            TableName,
            Key: { notificationId },
            UpdateExpression: `SET sentAt = :at, recipients = :recipients${messageId ? ', messageId = :messageId' : ''} REMOVE leaseUntil`,
            ConditionExpression: 'attribute_exists(notificationId)',
            ExpressionAttributeValues: { ':at': at, ':recipients': recipients, ...(messageId ? { ':messageId': messageId } : {}) },
          }),
        ));
    },

    async release(notificationId) {
      try {
        await callAws('releasing a notification lease', () =>
          client.send(
            new UpdateCommand({
              TableName,
              Key: { notificationId },
              UpdateExpression: 'REMOVE leaseUntil',
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

import { createHash } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { callAws, isAwsError } from '../aws/call-aws.ts';
import { queryAll } from './pages.ts';
import type { ParkedToken, WaitStore } from '../../domain/ec2-waits/ports.ts';
import { WAIT_UNTIL } from '../../domain/ec2-waits/waits.ts';

/**
 * The waits table: task tokens parked under the EC2 resource id they wait for
 * (`resourceId`, `parkingId` = hash of the token), and when each named wait began
 * (`resourceId` = `wait#<key>`, `parkingId` = `began`). TTL (`expiresAtEpoch`) collects both.
 */
const BEGAN = 'began';
const parkedItem = z.object({ resourceId: z.string(), parkingId: z.string(), until: z.enum(WAIT_UNTIL), taskToken: z.string().min(1) });
const beganItem = z.object({ beganAt: z.string() });
const epoch = (date: Date): number => Math.floor(date.getTime() / 1000);
const parkingIdOf = (taskToken: string): string => createHash('sha256').update(taskToken).digest('hex').slice(0, 32);

export function createWaitStore(client: Pick<DynamoDBDocumentClient, 'send'>, tableName: string): WaitStore {
  return {
    async beganAt(key, now, expiresAt) {
      const Key = { resourceId: `wait#${key}`, parkingId: BEGAN };
      try {
        await callAws('PutItem', () =>
          client.send(
            new PutCommand({
              TableName: tableName,
              Item: { ...Key, beganAt: now.toISOString(), expiresAtEpoch: epoch(expiresAt) },
              ConditionExpression: 'attribute_not_exists(resourceId)',
            }),
          ),
        );
        return now;
      } catch (error) {
        if (!isAwsError(error, 'ConditionalCheckFailedException')) throw error;
        const out = await callAws('GetItem', () => client.send(new GetCommand({ TableName: tableName, Key, ConsistentRead: true })));
        return new Date(beganItem.parse(out.Item).beganAt);
      }
    },
    async park(resourceIds, until, taskToken, expiresAt) {
      const parkingId = parkingIdOf(taskToken);
      for (const resourceId of resourceIds) {
        await callAws('PutItem', () =>
          client.send(new PutCommand({ TableName: tableName, Item: { resourceId, parkingId, until, taskToken, expiresAtEpoch: epoch(expiresAt) } })),
        );
      }
    },
    async parkedUnder(resourceId) {
      const items = await queryAll(
        client,
        { TableName: tableName, KeyConditionExpression: 'resourceId = :id', ExpressionAttributeValues: { ':id': resourceId }, ConsistentRead: true },
        'Query',
      );
      return items.map((item): ParkedToken => parkedItem.parse(item));
    },
    async unpark({ resourceId, parkingId }) {
      await callAws('DeleteItem', () => client.send(new DeleteCommand({ TableName: tableName, Key: { resourceId, parkingId } })));
    },
  };
}

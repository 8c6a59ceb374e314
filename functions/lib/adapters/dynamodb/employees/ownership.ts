import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { NotFoundError, TransientError } from '../../../domain/shared/errors.ts';
import { callAws, isConditionFailure } from '../../aws/call-aws.ts';
import type { OwnershipRecord, UserOwnershipPort } from '../../../domain/provision/ports.ts';

/**
 * Which request created an employee's Identity Store user, kept on the employees item so the
 * answer survives a crash (or a Lambda timeout, or a CreateUser response lost and retried by the
 * SDK into a ConflictException) between CreateUser and the end of Create Identity Center User,
 * and a Catch that sends the workflow to compensation without results:
 *
 * - `identityUserIntent` (+ `identityUserIntentAt`): the request about to call CreateUser, written
 *   before it and only when the user does not exist. An exclusive lease: another request's intent
 *   younger than INTENT_LEASE_MS makes recordIntent a TransientError (that request is creating
 *   the user right now; the ASL retries, and then finds the user). An older one is stale (its
 *   attempt never created the user, which is absent) and is overwritten.
 * - `identityUserCreatedBy` + `identityUserId`: the request that created that user id, written
 *   after; it removes the intent, so a user made later by hand is nobody's.
 *
 * Only UpdateItem on an existing item (a user is created only for an employee Gatehouse knows)
 * and a consistent GetItem; never PutItem, so no HRIS field can be overwritten from here.
 */

/** Longer than one provision-identity invocation (30 s timeout): an intent is exclusive while its CreateUser can run. */
export const INTENT_LEASE_MS = 60_000;

/**
 * Pure: the confirmed creator when the record names this very user; otherwise the pending
 * intent (a creator that crashed before confirming); otherwise nobody (a user that existed
 * before, or was made by hand).
 */
export function creatorOf(record: OwnershipRecord | undefined, userId: string): string | undefined {
  if (!record) return undefined;
  if (record.userId === userId) return record.createdBy;
  return record.intent;
}

const recordSchema = z.looseObject({
  identityUserIntent: z.string().optional(),
  identityUserIntentAt: z.string().optional(),
  identityUserCreatedBy: z.string().optional(),
  identityUserId: z.string().optional(),
});

export interface UserOwnershipDeps {
  client: Pick<DynamoDBDocumentClient, 'send'>;
  tableName: string;
  clock: { now(): Date };
}

export function createUserOwnership({ client, tableName: TableName, clock }: UserOwnershipDeps): UserOwnershipPort {
  const unknownEmployee = (employeeId: string, cause: unknown) =>
    new NotFoundError(`employeeId: no employee ${employeeId}; an Identity Store user is created only for a known employee`, { cause });

  async function read(employeeId: string): Promise<z.infer<typeof recordSchema> | undefined> {
    const { Item } = await callAws('reading the user creator', () =>
      client.send(
        new GetCommand({
          TableName,
          Key: { employeeId },
          ConsistentRead: true,
          ProjectionExpression: '#intent, #intentAt, #createdBy, #userId',
          ExpressionAttributeNames: { '#intent': 'identityUserIntent', '#intentAt': 'identityUserIntentAt', '#createdBy': 'identityUserCreatedBy', '#userId': 'identityUserId' },
        }),
      ),
    );
    return Item ? recordSchema.parse(Item) : undefined;
  }

  async function update(employeeId: string, doing: string, expression: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName' | 'Key'>) {
    try {
      await callAws(doing, () => client.send(new UpdateCommand({ TableName, Key: { employeeId }, ConditionExpression: 'attribute_exists(employeeId)', ...expression })));
    } catch (error) {
      if (isConditionFailure(error)) throw unknownEmployee(employeeId, error);
      throw error;
    }
  }

  return {
    async recordIntent(employeeId, requestId) {
      const now = clock.now();
      try {
        await callAws('recording the user creation intent', () =>
          client.send(
            new UpdateCommand({
              TableName,
              Key: { employeeId },
              UpdateExpression: 'SET #intent = :requestId, #intentAt = :now',
              ConditionExpression: 'attribute_exists(employeeId) AND (attribute_not_exists(#intent) OR #intent = :requestId OR #intentAt < :staleBefore)',
              ExpressionAttributeNames: { '#intent': 'identityUserIntent', '#intentAt': 'identityUserIntentAt' },
              ExpressionAttributeValues: {
                ':requestId': requestId,
                ':now': now.toISOString(),
                ':staleBefore': new Date(now.getTime() - INTENT_LEASE_MS).toISOString(),
              },
            }),
          ),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        const record = await read(employeeId);
        if (!record) throw unknownEmployee(employeeId, error);
        throw new TransientError(`request ${record.identityUserIntent ?? 'unknown'} is creating the Identity Store user of ${employeeId}; retry`, { cause: error });
      }
    },

    async recordCreator(employeeId, requestId, userId) {
      await update(employeeId, 'recording the user creator', {
        UpdateExpression: 'SET #createdBy = :requestId, #userId = :userId REMOVE #intent, #intentAt',
        ExpressionAttributeNames: {
          '#createdBy': 'identityUserCreatedBy',
          '#userId': 'identityUserId',
          '#intent': 'identityUserIntent',
          '#intentAt': 'identityUserIntentAt',
        },
        ExpressionAttributeValues: { ':requestId': requestId, ':userId': userId },
      });
    },

    async creatorOf(employeeId, userId) {
      const record = await read(employeeId);
      return creatorOf(record && { intent: record.identityUserIntent, createdBy: record.identityUserCreatedBy, userId: record.identityUserId }, userId);
    },
  };
}

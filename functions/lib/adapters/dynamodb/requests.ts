import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { ConflictError, DomainError } from '../../domain/shared/errors.ts';
import { callAws, conditionalWrite, isConditionFailure } from '../aws/call-aws.ts';
import { requestItemSchema, requestRecordSchema } from '../../domain/requests/request-record.ts';
import type { RequestRepository } from '../../domain/requests/ports.ts';
import { FINISHED_STATUSES, type RequestStatusStore } from '../../domain/outcomes/ports.ts';
import type { ExtensionRequestView, TimeBoundRequestView, TimeBoundRequests } from '../../domain/time-bound/ports.ts';
import { moveEnd } from './end-change.ts';

/**
 * The `requests` table: one item per workflow run, written once by the workflow's first step
 * (`RequestRepository`), finished once by Record Outcome (`RequestStatusStore`), and, for a
 * time-bound request, marked granted and ended once (`TimeBoundRequests`). Every write is conditional.
 */

/** A stored request item that no longer matches its schema: an operator must look. */
export class RequestRecordCorruptError extends DomainError {
  readonly statusCode = 500;
}

export function createRequestRepository(options: { client: DynamoDBDocumentClient; tableName: string }): RequestRepository {
  const { client, tableName } = options;
  return {
    async get(requestId) {
      const { Item: item } = await callAws('reading a request', () => client.send(new GetCommand({ TableName: tableName, Key: { requestId }, ConsistentRead: true })));
      if (!item) return undefined;
      const parsed = requestRecordSchema.safeParse(item);
      if (!parsed.success) throw new RequestRecordCorruptError(`request ${requestId} does not match the request schema`, { cause: parsed.error });
      return parsed.data;
    },

    async put(record) {
      const item = requestRecordSchema.parse(record);
      try {
        await callAws('writing a request', () =>
          client.send(
            new PutCommand({
              TableName: tableName,
              Item: item,
              ConditionExpression: 'attribute_not_exists(requestId) OR executionId = :executionId',
              ExpressionAttributeValues: { ':executionId': item.executionId },
            }),
          ),
        );
      } catch (error) {
        if (isConditionFailure(error)) {
          throw new ConflictError(`request ${item.requestId} was already written by another execution`, { cause: error });
        }
        throw error;
      }
    },
  };
}

// How a request ended.

export function createRequestStatusStore(options: { client: DynamoDBDocumentClient; tableName: string }): RequestStatusStore {
  const { client, tableName: TableName } = options;
  const finished = Object.fromEntries(FINISHED_STATUSES.map((status) => [`:${status}`, status]));
  return {
    async markFinished({ requestId, executionId, status, at, errorName }) {
      try {
        await callAws('marking the request finished', () =>
          client.send(
            new UpdateCommand({
              TableName,
              Key: { requestId },
              UpdateExpression: 'SET #status = :status, finishedAt = :at, outcomeError = :error',
              ConditionExpression: `attribute_exists(requestId) AND executionId = :executionId AND NOT (#status IN (${Object.keys(finished).join(', ')}))`,
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':status': status, ':at': at, ':error': errorName, ':executionId': executionId, ...finished },
            }),
          ),
        );
        return 'marked';
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
      const { Item: item } = await callAws('reading the request', () => client.send(new GetCommand({ TableName, Key: { requestId }, ConsistentRead: true })));
      if (!item) return 'no-record';
      if (item.executionId !== executionId) return 'not-owner';
      return item.status === status ? 'already-marked' : 'kept';
    },
  };
}

// The life of a time-bound request.

export function createTimeBoundRequests(options: { client: DynamoDBDocumentClient; tableName: string }): TimeBoundRequests {
  const { client, tableName: TableName } = options;
  /** The item, when it is a request of this kind (a time-bound request, or an extension of one). */
  async function itemOfKind(requestId: string, kind: 'time-bound' | 'extension') {
    const out = await callAws(`reading the ${kind} request`, () => client.send(new GetCommand({ TableName, Key: { requestId }, ConsistentRead: true })));
    if (!out.Item || out.Item.kind !== kind) return undefined;
    const parsed = requestItemSchema.safeParse(out.Item);
    if (!parsed.success) throw new RequestRecordCorruptError(`request ${requestId} does not match the request schema`, { cause: parsed.error });
    return parsed.data;
  }
  return {
    get: async (requestId) => (await itemOfKind(requestId, 'time-bound')) as TimeBoundRequestView | undefined,

    async markGranted(requestId, executionId, grantedAt, expiresAt) {
      try {
        const out = await callAws('marking the access request granted', () =>
          client.send(
            new UpdateCommand({
              TableName,
              Key: { requestId },
              UpdateExpression: 'SET #status = :granted, grantedAt = if_not_exists(grantedAt, :grantedAt), expiresAt = if_not_exists(expiresAt, :expiresAt)',
              ConditionExpression: 'executionId = :executionId AND (attribute_not_exists(#status) OR #status = :granted)',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':granted': 'granted', ':grantedAt': grantedAt, ':expiresAt': expiresAt, ':executionId': executionId },
              ReturnValues: 'ALL_NEW',
            }),
          ),
        );
        return z.object({ grantedAt: z.string(), expiresAt: z.string() }).parse(out.Attributes);
      } catch (error) {
        if (isConditionFailure(error)) throw new ConflictError(`request ${requestId} is not this execution's or has already ended`, { cause: error });
        throw error;
      }
    },

    markExtended: (requestId, change) => moveEnd({ client, tableName: TableName, key: { requestId }, liveStatus: 'granted', doing: 'extending the access request' }, change),

    markExtensionApplied: (requestId, executionId, at) =>
      conditionalWrite('marking the extension applied', () =>
        client.send(
          new UpdateCommand({
            TableName,
            Key: { requestId },
            UpdateExpression: 'SET #status = :extended, finishedAt = :at',
            ConditionExpression: 'kind = :kind AND executionId = :executionId AND attribute_not_exists(#status)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':extended': 'extended', ':at': at, ':kind': 'extension', ':executionId': executionId },
          }),
        ),
      ),

    getExtension: async (requestId) => (await itemOfKind(requestId, 'extension')) as ExtensionRequestView | undefined,

    async markEnded(requestId, at, reason, revokedBy) {
      try {
        await callAws('marking the access request ended', () =>
          client.send(
            new UpdateCommand({
              TableName,
              Key: { requestId },
              UpdateExpression: `SET #status = :ended, endedAt = :at, endReason = :reason${revokedBy ? ', revokedBy = :by' : ''}`,
              ConditionExpression: 'attribute_exists(requestId) AND #status = :granted',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':ended': 'ended', ':granted': 'granted', ':at': at, ':reason': reason, ...(revokedBy ? { ':by': revokedBy } : {}) },
            }),
          ),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
  };
}

import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { asTransient, isConditionFailure } from '../aws/call-aws.ts';

/**
 * How a request ended, on its `requests` item (`status`, `finishedAt`, `outcomeError`), next
 * to the record prepare-join wrote. A finished request is never reopened or re-marked.
 */

export const FINISHED_STATUSES = ['failed', 'denied', 'expired', 'rejected'] as const;
export type FinishedStatus = (typeof FINISHED_STATUSES)[number];

/**
 * `marked`: this call finished it; `already-marked`: it had this status already (a retry);
 * `kept`: it had finished otherwise and stays so; `no-record`: nothing was written for the
 * request (rejected before its record); `not-owner`: the record belongs to another execution.
 */
export type MarkResult = 'marked' | 'already-marked' | 'kept' | 'no-record' | 'not-owner';

export interface Finish {
  requestId: string;
  executionId: string;
  status: FinishedStatus;
  at: string;
  /** The error's name only, never its message. */
  errorName: string;
}

export interface RequestStatusStore {
  markFinished(finish: Finish): Promise<MarkResult>;
}

export function createRequestStatusStore(options: { client: DynamoDBDocumentClient; tableName: string }): RequestStatusStore {
  const { client, tableName: TableName } = options;
  const finished = Object.fromEntries(FINISHED_STATUSES.map((status) => [`:${status}`, status]));
  return {
    async markFinished({ requestId, executionId, status, at, errorName }) {
      try {
        await client.send(
          new UpdateCommand({
            TableName,
            Key: { requestId },
            UpdateExpression: 'SET #status = :status, finishedAt = :at, outcomeError = :error',
            ConditionExpression: `attribute_exists(requestId) AND executionId = :executionId AND NOT (#status IN (${Object.keys(finished).join(', ')}))`,
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':status': status, ':at': at, ':error': errorName, ':executionId': executionId, ...finished },
          }),
        );
        return 'marked';
      } catch (error) {
        if (!isConditionFailure(error)) throw asTransient(error, 'marking the request finished');
      }
      let item: Record<string, unknown> | undefined;
      try {
        ({ Item: item } = await client.send(new GetCommand({ TableName, Key: { requestId }, ConsistentRead: true })));
      } catch (error) {
        throw asTransient(error, 'reading the request');
      }
      if (!item) return 'no-record';
      if (item.executionId !== executionId) return 'not-owner';
      return item.status === status ? 'already-marked' : 'kept';
    },
  };
}

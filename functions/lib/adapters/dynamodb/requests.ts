import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConflictError, DomainError } from '../../domain/shared/errors.ts';
import { asTransient, isConditionFailure } from '../aws/call-aws.ts';
import { requestRecordSchema, type RequestRecord } from '../../domain/requests/request-record.ts';

/** A stored request item that no longer matches its schema: an operator must look. */
export class RequestRecordCorruptError extends DomainError {
  readonly statusCode = 500;
}

export interface RequestRepository {
  /** The request, read consistently; undefined when there is none. */
  get(requestId: string): Promise<RequestRecord | undefined>;
  /**
   * Writes the request once. The same execution writing it again (a Step Functions retry)
   * overwrites it with the same facts; another execution claiming the id is a ConflictError.
   */
  put(record: RequestRecord): Promise<void>;
}

export function createRequestRepository(options: { client: DynamoDBDocumentClient; tableName: string }): RequestRepository {
  const { client, tableName } = options;
  return {
    async get(requestId) {
      let item: Record<string, unknown> | undefined;
      try {
        ({ Item: item } = await client.send(new GetCommand({ TableName: tableName, Key: { requestId }, ConsistentRead: true })));
      } catch (error) {
        throw asTransient(error, 'reading a request');
      }
      if (!item) return undefined;
      const parsed = requestRecordSchema.safeParse(item);
      if (!parsed.success) throw new RequestRecordCorruptError(`request ${requestId} does not match the request schema`, { cause: parsed.error });
      return parsed.data;
    },

    async put(record) {
      const item = requestRecordSchema.parse(record);
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: item,
            ConditionExpression: 'attribute_not_exists(requestId) OR executionId = :executionId',
            ExpressionAttributeValues: { ':executionId': item.executionId },
          }),
        );
      } catch (error) {
        if (isConditionFailure(error)) {
          throw new ConflictError(`request ${item.requestId} was already written by another execution`, { cause: error });
        }
        throw asTransient(error, 'writing a request');
      }
    },
  };
}

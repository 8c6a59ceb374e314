import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { ConflictError, DomainError } from '../../domain/shared/errors.ts';
import { asTransient, isConditionFailure } from '../aws/call-aws.ts';
import { requestRecordSchema, type RequestRecord } from '../../domain/requests/request-record.ts';

/**
 * The `requests` table: one item per workflow run, written once by the workflow's first step
 * (`RequestRepository`), finished once by Record Outcome (`RequestStatusStore`), and, for a
 * time-bound request, marked granted and ended once (`JitRequests`). Every write is conditional.
 */

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

// How a request ended.

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

// The life of a time-bound request.

/**
 * The life of a time-bound request on its `requests` item, next to the record Prepare Access
 * Request wrote: `granted` (with grantedAt and expiresAt, set once) and `ended` (expired or
 * revoked early, by whom). Record Outcome marks denied / expired approvals / failures.
 */

export const jitRequestViewSchema = z.looseObject({
  requestId: z.string(),
  kind: z.string(),
  employeeId: z.string(),
  executionId: z.string(),
  requester: z.object({ employeeId: z.string(), email: z.string() }).optional(),
  entitlements: z.array(z.looseObject({ id: z.string() })),
  decision: z.looseObject({ decision: z.string() }),
  duration: z.union([z.string(), z.number()]).optional(),
  createdAt: z.string(),
  status: z.string().optional(),
  grantedAt: z.string().optional(),
  expiresAt: z.string().optional(),
  endedAt: z.string().optional(),
  endReason: z.string().optional(),
  revokedBy: z.string().optional(),
});
export type JitRequestView = z.infer<typeof jitRequestViewSchema>;

export interface JitRequests {
  get(requestId: string): Promise<JitRequestView | undefined>;
  /** Marks the request granted; the first call fixes expiresAt, a retry gets the same one back. */
  markGranted(requestId: string, executionId: string, grantedAt: string, expiresAt: string): Promise<{ grantedAt: string; expiresAt: string }>;
  /** `ended` once; false when it had already ended (or was never recorded). */
  markEnded(requestId: string, at: string, reason: 'expired' | 'revoked', revokedBy?: string): Promise<boolean>;
}

/** The status a caller sees: what the workflow recorded, or what the record implies. */
export function statusOf(view: JitRequestView): string {
  if (view.status) return view.status;
  return view.decision.decision === 'needs-approval' ? 'pending-approval' : 'approved';
}

export function createJitRequests(options: { client: DynamoDBDocumentClient; tableName: string }): JitRequests {
  const { client, tableName: TableName } = options;
  return {
    async get(requestId) {
      const out = await client.send(new GetCommand({ TableName, Key: { requestId }, ConsistentRead: true })).catch((error: unknown) => {
        throw asTransient(error, 'reading the access request');
      });
      const parsed = jitRequestViewSchema.safeParse(out.Item);
      return parsed.success && parsed.data.kind === 'jit' ? parsed.data : undefined;
    },

    async markGranted(requestId, executionId, grantedAt, expiresAt) {
      try {
        const out = await client.send(
          new UpdateCommand({
            TableName,
            Key: { requestId },
            UpdateExpression: 'SET #status = :granted, grantedAt = if_not_exists(grantedAt, :grantedAt), expiresAt = if_not_exists(expiresAt, :expiresAt)',
            ConditionExpression: 'executionId = :executionId AND (attribute_not_exists(#status) OR #status = :granted)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':granted': 'granted', ':grantedAt': grantedAt, ':expiresAt': expiresAt, ':executionId': executionId },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return z.object({ grantedAt: z.string(), expiresAt: z.string() }).parse(out.Attributes);
      } catch (error) {
        if (isConditionFailure(error)) throw new ConflictError(`request ${requestId} is not this execution's or has already ended`, { cause: error });
        throw asTransient(error, 'marking the access request granted');
      }
    },

    async markEnded(requestId, at, reason, revokedBy) {
      try {
        await client.send(
          new UpdateCommand({
            TableName,
            Key: { requestId },
            UpdateExpression: `SET #status = :ended, endedAt = :at, endReason = :reason${revokedBy ? ', revokedBy = :by' : ''}`,
            ConditionExpression: 'attribute_exists(requestId) AND #status = :granted',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':ended': 'ended', ':granted': 'granted', ':at': at, ':reason': reason, ...(revokedBy ? { ':by': revokedBy } : {}) },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw asTransient(error, 'marking the access request ended');
      }
    },
  };
}

import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { asTransient, isConditionFailure } from '../aws/call-aws.ts';
import { ConflictError } from '../../domain/shared/errors.ts';

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

import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { asTransient, isConditionFailure } from '../aws-errors.ts';

/** One item of the `grants` table: who has what now, from which source, granted how. */
export interface GrantItem {
  employeeId: string;
  /** `<entitlementId>#role#<roleId>` (functions/lib/grants). */
  grantKey: string;
  entitlementId: string;
  /** `role:<roleId>` */
  source: string;
  status: 'active';
  grantedAt: string;
  requestId: string;
  /** Approver mailboxes in chain order, or `['auto-approved']`. */
  approvedBy: string[];
  userId?: string;
  membershipId?: string;
  instanceId?: string;
  volumeId?: string;
}

export interface GrantStore {
  /** Writes the grant unless one with its key exists; true when this call wrote it. */
  putIfAbsent(item: GrantItem): Promise<boolean>;
}

export function createGrantStore(options: { client: DynamoDBDocumentClient; tableName: string }): GrantStore {
  return {
    async putIfAbsent(item) {
      try {
        await options.client.send(
          new PutCommand({
            TableName: options.tableName,
            Item: item,
            ConditionExpression: 'attribute_not_exists(employeeId) AND attribute_not_exists(grantKey)',
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw asTransient(error, 'writing a grant');
      }
    },
  };
}

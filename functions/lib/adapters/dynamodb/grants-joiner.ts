import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { asTransient, isConditionFailure } from '../aws/call-aws.ts';

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
  /** The catalogue version whose role definition granted it, when recorded (catalogue convergence). */
  catalogueVersion?: string;
  userId?: string;
  membershipId?: string;
  instanceId?: string;
  volumeId?: string;
}

export interface GrantStore {
  /**
   * Writes the grant unless one with its key exists; true when this call wrote it. A grant an
   * earlier request held and that was revoked since (the role held again after a move back, a
   * rehire) is replaced by the new one; the audit keeps the old one's history. A retry of the
   * same request never replaces anything.
   */
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
            ConditionExpression: 'attribute_not_exists(grantKey) OR (#status = :revoked AND requestId <> :requestId)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':revoked': 'revoked', ':requestId': item.requestId },
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

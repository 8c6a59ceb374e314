import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { asTransient } from '../aws/call-aws.ts';
import { auditEntrySchema, type AuditEntry } from '../../domain/audit/entry.ts';
import type { AuditEntries } from '../../domain/console/audit.ts';
import { ValidationError } from '../../domain/shared/errors.ts';

/**
 * Every entry of the audit table, page by page (Scan pages stop at 1 MB:
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Scan.html#Scan.Pagination),
 * each checked against the entry schema like an export's entries are.
 */
export function auditTableEntries(client: DynamoDBDocumentClient, tableName: string): AuditEntries {
  return {
    async *all(): AsyncGenerator<AuditEntry> {
      let start: Record<string, unknown> | undefined;
      do {
        const page = await client.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start })).catch((error: unknown) => {
          throw asTransient(error, 'reading the audit table');
        });
        for (const item of page.Items ?? []) {
          const parsed = auditEntrySchema.safeParse(item);
          if (!parsed.success) throw new ValidationError(`audit entry ${String(item.subject)}#${String(item.seq)} does not match the entry schema`);
          yield parsed.data;
        }
        start = page.LastEvaluatedKey;
      } while (start);
    },
  };
}

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { scanPages } from '../dynamodb/pages.ts';
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
      for await (const page of scanPages(client, { TableName: tableName }, 'reading the audit table')) {
        for (const item of page) {
          const parsed = auditEntrySchema.safeParse(item);
          if (!parsed.success) throw new ValidationError(`audit entry ${String(item.subject)}#${String(item.seq)} does not match the entry schema`);
          yield parsed.data;
        }
      }
    },
  };
}

import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { callAws } from '../aws/call-aws.ts';
import { queryPages, scanPages } from '../dynamodb/pages.ts';
import { auditEntrySchema, type AuditEntry } from '../../domain/audit/entry.ts';
import type { AuditEntries, AuditLogFilter } from '../../domain/console/audit.ts';
import { ValidationError } from '../../domain/shared/errors.ts';
import { decodeToken, encodeToken } from './page-token.ts';

/**
 * The auditors' page's reads of the audit table (infra/spec/tables.ts: partition `subject`, sort
 * `seq`; indexes byEntitlement, byActor, byDay, each sorted by `at`, projecting every attribute).
 * A Query or a Scan returns at most 1 MB per call, whatever `Limit` says, and says where to go
 * on in LastEvaluatedKey
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.Pagination.html):
 * the whole-listing reads follow it through pages.ts; the log's page hands it back as the
 * `nextToken` the page's "Load more" sends, so a page may hold fewer than `limit` entries and
 * still have a next one. Every item is checked against the entry schema, as an export's are.
 */
export function auditTableEntries(client: DynamoDBDocumentClient, tableName: string): AuditEntries {
  const parse = (item: Record<string, unknown>): AuditEntry => {
    const parsed = auditEntrySchema.safeParse(item);
    if (!parsed.success) throw new ValidationError(`audit entry ${String(item.subject)}#${String(item.seq)} does not match the entry schema`);
    return parsed.data;
  };
  async function* entriesOf(pages: AsyncGenerator<Record<string, unknown>[]>): AsyncGenerator<AuditEntry> {
    for await (const page of pages) for (const item of page) yield parse(item);
  }
  const query = (input: Omit<QueryCommandInput, 'TableName'>, doing: string) => entriesOf(queryPages(client, { TableName: tableName, ...input }, doing));

  return {
    all: () => entriesOf(scanPages(client, { TableName: tableName }, 'reading the audit table')),
    ofEntitlement: (entitlementId, before) =>
      query({ IndexName: 'byEntitlement', KeyConditionExpression: 'entitlementId = :e AND #at < :before', ExpressionAttributeNames: { '#at': 'at' }, ExpressionAttributeValues: { ':e': entitlementId, ':before': before } }, 'reading an entitlement’s audit entries'),
    ofActor: (actor) => query({ IndexName: 'byActor', KeyConditionExpression: 'actor = :a', ExpressionAttributeValues: { ':a': actor } }, 'reading an actor’s audit entries'),
    // The kind is no key: the filter runs on the partition's items, which a Query reads anyway.
    decisionsAbout: (subject) =>
      query(
        { KeyConditionExpression: 'subject = :s', FilterExpression: '#kind IN (:approved, :denied)', ExpressionAttributeNames: { '#kind': 'kind' }, ExpressionAttributeValues: { ':s': subject, ':approved': 'approval.approved', ':denied': 'approval.denied' } },
        'reading a person’s approval decisions',
      ),
    async page(filter, limit, nextToken) {
      const out = await callAws('reading a page of the audit log', () =>
        client.send(new QueryCommand({ TableName: tableName, ...keyOf(filter), ScanIndexForward: false, Limit: limit, ExclusiveStartKey: decodeToken(nextToken) })),
      );
      return { items: (out.Items ?? []).map(parse), nextToken: encodeToken(out.LastEvaluatedKey) };
    },
  };
}

/** The filter as a key condition: the partition it names, and the `at` range on the indexes sorted by time. */
function keyOf(filter: AuditLogFilter): Omit<QueryCommandInput, 'TableName'> {
  if (filter.by === 'subject') return { KeyConditionExpression: 'subject = :p', ExpressionAttributeValues: { ':p': filter.subject } };
  const [IndexName, attribute, value] = filter.by === 'actor' ? ['byActor', 'actor', filter.actor] : ['byDay', 'day', filter.day];
  const values: Record<string, string> = { ':p': value };
  let range = '';
  if (filter.from && filter.to) {
    range = ' AND #at BETWEEN :from AND :to';
    Object.assign(values, { ':from': filter.from, ':to': filter.to });
  } else if (filter.from) {
    range = ' AND #at >= :from';
    values[':from'] = filter.from;
  } else if (filter.to) {
    range = ' AND #at <= :to';
    values[':to'] = filter.to;
  }
  return {
    IndexName,
    KeyConditionExpression: `#p = :p${range}`,
    ExpressionAttributeNames: { '#p': attribute, ...(range ? { '#at': 'at' } : {}) },
    ExpressionAttributeValues: values,
  };
}

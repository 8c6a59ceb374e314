import { GetCommand, QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { callAws } from '../aws/call-aws.ts';
import { grantItemsOf } from '../dynamodb/grants.ts';
import type { ConsoleReads, PageOf, StoredApproval, StoredAuditEntry, StoredEmployee, StoredRequest } from '../../domain/console/ports.ts';
import { decodeToken, encodeToken } from './page-token.ts';

/**
 * The console's reads of the employees, requests, approvals, grants and audit tables: Query and
 * GetItem only (no Scan), each on a key or an index the tables declare (infra/spec/tables.ts).
 * Items are returned as stored; the console never needs the secrets an approval keeps, so its
 * reads project them away (task token, CSRF secret).
 */
export interface ConsoleTables {
  employees: string;
  requests: string;
  approvals: string;
  grants: string;
  audit: string;
}

const APPROVAL_FIELDS = ['approvalId', 'requestId', 'employeeId', 'step', '#status', 'expiresAt', 'createdAt', 'approver'];

export function createConsoleReads(client: DynamoDBDocumentClient, tables: ConsoleTables): ConsoleReads {
  const query = async <T>(input: QueryCommandInput, doing: string): Promise<{ items: T[]; last: Record<string, unknown> | undefined }> => {
    const out = await callAws(doing, () => client.send(new QueryCommand(input)));
    return { items: (out.Items ?? []) as T[], last: out.LastEvaluatedKey };
  };
  const get = async <T>(TableName: string, Key: Record<string, unknown>, doing: string, ProjectionExpression?: string, names?: Record<string, string>): Promise<T | undefined> => {
    const out = await callAws(doing, () => client.send(new GetCommand({ TableName, Key, ...(ProjectionExpression ? { ProjectionExpression, ExpressionAttributeNames: names } : {}) })));
    return out.Item as T | undefined;
  };
  const approvalProjection = { ProjectionExpression: APPROVAL_FIELDS.join(', '), ExpressionAttributeNames: { '#status': 'status' } };

  return {
    async employeeByEmail(email) {
      const { items } = await query<StoredEmployee>({ TableName: tables.employees, IndexName: 'byEmail', KeyConditionExpression: 'emailLower = :e', ExpressionAttributeValues: { ':e': email.toLowerCase() }, Limit: 1 }, 'finding the employee');
      return items[0];
    },
    employee: (employeeId) => get<StoredEmployee>(tables.employees, { employeeId }, 'reading the employee'),
    async employeesByStatus(status, limit, nextToken): Promise<PageOf<StoredEmployee>> {
      const { items, last } = await query<StoredEmployee>(
        { TableName: tables.employees, IndexName: 'byStatus', KeyConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': status }, Limit: limit, ExclusiveStartKey: decodeToken(nextToken) },
        'listing employees',
      );
      return { items, nextToken: encodeToken(last) };
    },
    grantsOf: async (employeeId) => await grantItemsOf({ client, tableName: tables.grants }, employeeId),
    async requestsOf(employeeId, limit, nextToken) {
      const { items, last } = await query<StoredRequest>(
        { TableName: tables.requests, IndexName: 'byEmployee', KeyConditionExpression: 'employeeId = :e', ExpressionAttributeValues: { ':e': employeeId }, ScanIndexForward: false, Limit: limit, ExclusiveStartKey: decodeToken(nextToken) },
        'listing requests',
      );
      return { items, nextToken: encodeToken(last) };
    },
    request: (requestId) => get<StoredRequest>(tables.requests, { requestId }, 'reading the request'),
    async approvalsOfRequest(requestId) {
      const { items } = await query<StoredApproval>({ TableName: tables.approvals, IndexName: 'byRequest', KeyConditionExpression: 'requestId = :r', ExpressionAttributeValues: { ':r': requestId }, ...approvalProjection, ExpressionAttributeNames: { '#status': 'status' } }, 'reading approvals');
      return items;
    },
    async approvalsFor(approverEmail, limit) {
      const { items } = await query<StoredApproval>(
        { TableName: tables.approvals, IndexName: 'byApprover', KeyConditionExpression: 'approverEmail = :a', ExpressionAttributeValues: { ':a': approverEmail.toLowerCase() }, ScanIndexForward: false, Limit: limit, ...approvalProjection },
        'reading the inbox',
      );
      return items;
    },
    async auditOf(subject, limit, nextToken) {
      const { items, last } = await query<StoredAuditEntry>(
        { TableName: tables.audit, KeyConditionExpression: 'subject = :s', ExpressionAttributeValues: { ':s': subject }, ScanIndexForward: false, Limit: limit, ExclusiveStartKey: decodeToken(nextToken) },
        'reading the audit trail',
      );
      return { items, nextToken: encodeToken(last) };
    },
    async auditByActor(actor, limit) {
      const { items } = await query<StoredAuditEntry>({ TableName: tables.audit, IndexName: 'byActor', KeyConditionExpression: 'actor = :a', ExpressionAttributeValues: { ':a': actor }, ScanIndexForward: false, Limit: limit }, 'reading findings');
      return items;
    },
  };
}

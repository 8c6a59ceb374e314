import { formatResult } from '../audit-export/format.ts';
import { approverDecisions, grantsAfterLeaving, holdersAt, openGrants, type Query, type QueryResult } from '../audit-export/queries.ts';
import { StreamingVerifier } from '../audit-export/verify.ts';
import type { AuditEntry } from '../audit/entry.ts';
import { ValidationError } from '../shared/errors.ts';

/**
 * The auditors' page: the CLI's questions (audit-export/queries.ts, the very same query objects
 * `npm run audit -- query …` runs over an export) fed from the live audit table, and its CSV
 * written by the CLI's formatter, so the console's download equals the CLI's output for the same
 * entries. Chain integrity by the CLI's streaming verifier.
 */

/** Every audit entry, each checked against the entry schema (the table's Scan). */
export interface AuditEntries {
  all(): AsyncIterable<AuditEntry>;
}

export const AUDIT_QUERIES = ['holders', 'approver', 'open-grants', 'leftover-grants'] as const;
export type AuditQueryName = (typeof AUDIT_QUERIES)[number];

export function buildAuditQuery(name: AuditQueryName, params: { entitlementId?: string; at?: string; approver?: string }): Query {
  switch (name) {
    case 'holders': {
      if (!params.entitlementId) throw new ValidationError('entitlementId: required for the holders query');
      if (!params.at || Number.isNaN(Date.parse(params.at))) throw new ValidationError('at: an ISO date-time is required for the holders query');
      return holdersAt(params.entitlementId, params.at);
    }
    case 'approver':
      if (!params.approver) throw new ValidationError('approver: the approver e-mail is required');
      return approverDecisions(params.approver.toLowerCase());
    case 'open-grants':
      return openGrants();
    case 'leftover-grants':
      return grantsAfterLeaving();
  }
}

export async function runAuditQuery(entries: AuditEntries, query: Query): Promise<QueryResult> {
  for await (const entry of entries.all()) query.consume(entry);
  return query.result();
}

/** The page's table: columns and rows of cells in column order. */
export function asTable(result: QueryResult): { columns: string[]; rows: (string | number)[][] } {
  return { columns: result.columns, rows: result.rows.map((row) => result.columns.map((c) => row[c] ?? '')) };
}

export const asCsv = (result: QueryResult): string => formatResult(result, 'csv');

export async function chainStatus(entries: AuditEntries) {
  const verifier = new StreamingVerifier();
  for await (const entry of entries.all()) verifier.add(entry, `${entry.subject}#${entry.seq}`);
  const report = verifier.report([]);
  return { subjects: report.subjects, entries: report.entries, broken: report.breaks.map((b) => ({ subject: b.subject, problem: `${b.problem} at seq ${b.seq}: ${b.detail}` })) };
}

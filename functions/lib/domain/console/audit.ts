import { formatResult } from '../audit-export/format.ts';
import { approverDecisions, grantsAfterLeaving, holdersAt, openGrants, type Query, type QueryResult } from '../audit-export/queries.ts';
import { StreamingVerifier } from '../audit-export/verify.ts';
import type { AuditEntry } from '../audit/entry.ts';
import { ValidationError } from '../shared/errors.ts';
import type { PageOf } from './ports.ts';

/**
 * The auditors' page: the CLI's questions (audit-export/queries.ts, the very same query objects
 * `npm run audit -- query …` runs over an export) fed from the live audit table, and its CSV
 * written by the CLI's formatter, so the console's download equals the CLI's output for the same
 * entries. Chain integrity by the CLI's streaming verifier.
 *
 * Where the page's inputs name a key, the entries come from a Query on it (infra/spec/tables.ts:
 * the table's `subject` partition, the `byEntitlement`, `byActor` and `byDay` indexes), never from a
 * Scan filtered here; only the questions about the whole trail (open grants, grants left after a
 * leave, the chains) read every entry.
 */

/** Where the page asks the audit table; each entry checked against the entry schema. */
export interface AuditEntries {
  /** Every entry (Scan): only for the questions no key narrows. */
  all(): AsyncIterable<AuditEntry>;
  /** One entitlement's entries written before `before` (an ISO instant): byEntitlement, `at < :before`. */
  ofEntitlement(entitlementId: string, before: string): AsyncIterable<AuditEntry>;
  /** One actor's entries (`approver:alice@example.com`): byActor. */
  ofActor(actor: string): AsyncIterable<AuditEntry>;
  /** One person's approval decisions (their partition, kind approval.approved / approval.denied). */
  decisionsAbout(subject: string): AsyncIterable<AuditEntry>;
  /** One page of the log the page browses, newest first, where the filter's key leads. */
  page(filter: AuditLogFilter, limit: number, nextToken: string | undefined): Promise<PageOf<AuditEntry>>;
}

export const AUDIT_QUERIES = ['holders', 'approver', 'open-grants', 'leftover-grants'] as const;
export type AuditQueryName = (typeof AUDIT_QUERIES)[number];
export interface AuditQueryParams {
  entitlementId?: string | undefined;
  at?: string | undefined;
  approver?: string | undefined;
}

export function buildAuditQuery(name: AuditQueryName, params: AuditQueryParams): Query {
  switch (name) {
    case 'holders': {
      if (!params.entitlementId) throw new ValidationError('entitlementId: required for the holders query');
      if (!params.at || Number.isNaN(Date.parse(params.at))) throw new ValidationError('at: an ISO date-time is required for the holders query');
      return holdersAt(params.entitlementId, params.at);
    }
    case 'approver':
      if (!params.approver) throw new ValidationError('approver: the approver e-mail is required');
      return approverDecisions(approverId(params.approver));
    case 'open-grants':
      return openGrants();
    case 'leftover-grants':
      return grantsAfterLeaving();
  }
}

const approverId = (approver: string): string => approver.toLowerCase();

/**
 * Runs one of the CLI's questions over the entries it needs, read by key:
 * - holders: the entitlement's entries before the moment (byEntitlement), then the approval
 *   decisions of each holder's partition (approvedBy: an approval is audited under the person it
 *   is about, as every entry of a request is);
 * - approver: the approver's own entries (byActor);
 * - open grants, grants left after a leave: the whole trail (no key narrows "every grant").
 * The query objects are the CLI's, fed a subset that holds every entry they keep, so the
 * answer is the one the CLI gives over the whole export.
 */
/** Holders' partitions read at once by the holders question. */
const HOLDER_READS_IN_FLIGHT = 8;

export async function runAuditQuery(entries: AuditEntries, name: AuditQueryName, params: AuditQueryParams): Promise<QueryResult> {
  const query = buildAuditQuery(name, params);
  if (name === 'holders') {
    // One second past the moment: an `at` written without a fraction sorts after one with it as a
    // string ("…:00Z" > "…:00.000Z"); holdersAt compares the instants exactly.
    const before = new Date(Date.parse(params.at!) + 1000).toISOString();
    const subjects = new Set<string>();
    for await (const entry of entries.ofEntitlement(params.entitlementId!, before)) {
      query.consume(entry);
      if (entry.kind === 'grant.applied') subjects.add(entry.subject);
    }
    // The holders' partitions, a few at a time (the answer does not depend on the order read).
    const queue = [...subjects].sort();
    const worker = async (): Promise<void> => {
      for (let subject = queue.shift(); subject !== undefined; subject = queue.shift()) for await (const entry of entries.decisionsAbout(subject)) query.consume(entry);
    };
    await Promise.all(Array.from({ length: Math.min(HOLDER_READS_IN_FLIGHT, queue.length) }, worker));
  } else if (name === 'approver') {
    for await (const entry of entries.ofActor(`approver:${approverId(params.approver!)}`)) query.consume(entry);
  } else {
    for await (const entry of entries.all()) query.consume(entry);
  }
  return query.result();
}

/** The log's filters: each is a key (partition, and `at` range on the indexes sorted by time). */
export type AuditLogFilter =
  | { by: 'subject'; subject: string }
  | { by: 'actor'; actor: string; from?: string | undefined; to?: string | undefined }
  | { by: 'day'; day: string; from?: string | undefined; to?: string | undefined };

export const AUDIT_LOG_PAGE = { default: 50, max: 100 } as const;

export interface AuditLogParams {
  subject?: string | undefined;
  actor?: string | undefined;
  day?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

const iso = (field: string, value: string | undefined): string | undefined => {
  if (value === undefined || value === '') return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new ValidationError(`${field}: not an ISO date-time`);
  return new Date(ms).toISOString();
};

/** The page's filter form as a key: exactly one of subject, actor or day; a time range only where `at` is the sort key. */
export function auditLogFilter(params: AuditLogParams): AuditLogFilter {
  const keys = (['subject', 'actor', 'day'] as const).filter((k) => params[k] !== undefined && params[k] !== '');
  if (keys.length !== 1) throw new ValidationError('subject, actor, day: give exactly one (the person, the actor, or the UTC day to list)');
  const from = iso('from', params.from);
  const to = iso('to', params.to);
  if (from && to && from > to) throw new ValidationError('from: must not be after to');
  if (keys[0] === 'subject') {
    if (from || to) throw new ValidationError("from, to: not with subject (a person's entries are keyed by sequence number); use actor or day");
    return { by: 'subject', subject: params.subject! };
  }
  if (keys[0] === 'actor') {
    if (!/^[a-z]+:[\x21-\x7e]{1,254}$/.test(params.actor!)) throw new ValidationError('actor: "<type>:<id>", as the log prints it (approver:alice@example.com)');
    return { by: 'actor', actor: params.actor!, from, to };
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(params.day!) || Number.isNaN(Date.parse(params.day!))) throw new ValidationError('day: a UTC date, YYYY-MM-DD');
  for (const [field, value] of [['from', from], ['to', to]] as const) {
    if (value && value.slice(0, 10) !== params.day) throw new ValidationError(`${field}: must fall on ${params.day} (UTC)`);
  }
  return { by: 'day', day: params.day!, from, to };
}

/** One row of the log as the page shows it. */
export interface AuditLogRow {
  subject: string;
  seq: number;
  at: string;
  kind: string;
  actor: string;
  entitlementId: string;
  requestId: string;
  reason: string;
}

export async function auditLogPage(entries: AuditEntries, params: AuditLogParams & { limit?: number | undefined; nextToken?: string | undefined }): Promise<PageOf<AuditLogRow>> {
  const limit = params.limit ?? AUDIT_LOG_PAGE.default;
  if (!Number.isInteger(limit) || limit < 1 || limit > AUDIT_LOG_PAGE.max) throw new ValidationError(`limit: 1 to ${AUDIT_LOG_PAGE.max}`);
  const page = await entries.page(auditLogFilter(params), limit, params.nextToken);
  return {
    items: page.items.map((e) => ({ subject: e.subject, seq: e.seq, at: e.at, kind: e.kind, actor: e.actor, entitlementId: e.entitlementId ?? '', requestId: e.requestId, reason: e.reason })),
    nextToken: page.nextToken,
  };
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

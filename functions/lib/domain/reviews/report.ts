import type { AuditEntry } from '../audit/entry.ts';
import { formatResult, type OutputFormat } from '../audit-export/format.ts';
import type { QueryResult } from '../audit-export/queries.ts';
import { PAGE_STYLE, html } from '../shared/html.ts';
import { auditSubjectOf } from './campaign.ts';
import { snapshotHash, type SnapshotTriple } from '../audit/snapshot.ts';
import type { AuditStore } from '../audit/ports.ts';
import { CampaignNotFoundError } from './errors.ts';
import type { ReviewStore } from './ports.ts';

/**
 * The campaign's evidence, built from audit entries alone (the live table's entries or an S3
 * export: the same function, so the two files are equal byte for byte): a CSV row per item and
 * a printable HTML summary. Completeness is checked, not assumed: the settled items' triples
 * must hash to the snapshot hash written at the start, and their count must be the item count.
 */

export const REPORT_COLUMNS = ['person', 'entitlement', 'source', 'reviewer', 'decision', 'decided_by', 'justification', 'decided_at', 'remediated_at'] as const;
export type ReportRow = Record<(typeof REPORT_COLUMNS)[number], string>;

export interface CampaignEvidence {
  campaignId: string;
  name: string;
  scope: string;
  snapshotHash: string;
  itemCount: number;
  startedAt: string;
  dueAt: string;
  deadlineAt: string;
  closedAt?: string;
  /** The campaign chain's last entry when it closed (`review.closed`): seq and hash. */
  chainHead?: { seq: number; hash: string };
  counts: { keep: number; revoke: number; flag: number; pending: number; defaulted: number; escalated: number; refused: number; findings: number };
  /** Do the settled items' triples hash to the snapshot hash, and are there itemCount of them? */
  complete: boolean;
  rows: ReportRow[];
}

const byTime = (a: AuditEntry, b: AuditEntry): number => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.seq - b.seq);

/** Evidence of `campaignId` from any set of audit entries (entries of other requests are ignored). */
export function campaignEvidence(campaignId: string, all: readonly AuditEntry[]): CampaignEvidence {
  const entries = all.filter((entry) => entry.requestId === campaignId).sort(byTime);
  const campaignSubject = auditSubjectOf(campaignId);
  const started = entries.find((entry) => entry.kind === 'review.started' && entry.subject === campaignSubject);
  if (!started || started.kind !== 'review.started') throw new CampaignNotFoundError(`campaign ${campaignId} has no review.started entry in the audit trail: it does not exist, or its snapshot is not taken yet`);
  const closed = entries.find((entry) => entry.kind === 'review.closed' && entry.subject === campaignSubject);
  const escalations = entries.filter((entry) => entry.kind === 'review.escalated').reduce((sum, entry) => sum + (entry.kind === 'review.escalated' ? entry.detail.items : 0), 0);
  const finals = new Map<string, Extract<AuditEntry, { kind: 'review.decided' }>>();
  const removed = new Map<string, string>();
  let findings = 0;
  let refused = 0;
  for (const entry of entries) {
    if (entry.kind === 'review.decided' && entry.detail.final) finals.set(`${entry.subject}\n${entry.entitlementId}\n${entry.detail.source}`, entry);
    if (entry.kind === 'grant.revoked' && entry.detail.trigger === 'review') removed.set(`${entry.subject}\n${entry.entitlementId}`, entry.at);
    if (entry.kind === 'review.finding') findings += 1;
    if (entry.kind === 'review.refused') refused += 1;
  }
  const decisions = [...finals.values()];
  const rows: ReportRow[] = decisions
    .map((entry) => ({
      person: entry.subject,
      entitlement: entry.entitlementId,
      source: entry.detail.source,
      reviewer: entry.detail.reviewer,
      decision: entry.detail.decision,
      decided_by: entry.detail.defaulted ? 'default' : 'reviewer',
      justification: entry.detail.justification ?? '',
      decided_at: entry.at,
      remediated_at: entry.detail.decision === 'revoke' ? (removed.get(`${entry.subject}\n${entry.entitlementId}`) ?? '') : '',
    }))
    .sort((a, b) => (`${a.person}\n${a.entitlement}\n${a.source}` < `${b.person}\n${b.entitlement}\n${b.source}` ? -1 : 1));
  const triples = decisions.map((entry): SnapshotTriple => [entry.subject, entry.entitlementId, entry.detail.source]);
  const count = (decision: string) => rows.filter((row) => row.decision === decision).length;
  const d = started.detail;
  return {
    campaignId,
    name: d.name,
    scope: d.scope,
    snapshotHash: d.snapshotHash,
    itemCount: d.itemCount,
    startedAt: started.at,
    dueAt: d.dueAt,
    deadlineAt: d.deadlineAt,
    ...(closed ? { closedAt: closed.at, chainHead: { seq: closed.seq, hash: closed.hash } } : {}),
    counts: { keep: count('keep'), revoke: count('revoke'), flag: count('flag'), pending: Math.max(0, d.itemCount - rows.length), defaulted: rows.filter((row) => row.decided_by === 'default').length, escalated: escalations, refused, findings },
    complete: rows.length === d.itemCount && snapshotHash(triples) === d.snapshotHash,
    rows,
  };
}

/** Every audit entry of the campaign in the live table: its own chain, and each reviewed person's entries of it (CLI and console report). */
export async function liveCampaignEntries(deps: { audit: Pick<AuditStore, 'listBySubject'>; store: Pick<ReviewStore, 'listItems'> }, campaignId: string): Promise<AuditEntry[]> {
  const people = new Set((await deps.store.listItems(campaignId)).map((item) => item.employeeId));
  const entries = await deps.audit.listBySubject(auditSubjectOf(campaignId));
  for (const person of [...people].sort()) entries.push(...(await deps.audit.listBySubject(person)).filter((entry) => entry.requestId === campaignId));
  return entries;
}

export function evidenceCsv(evidence: CampaignEvidence): string {
  const result: QueryResult = { columns: [...REPORT_COLUMNS], rows: evidence.rows };
  return formatResult(result, 'csv' satisfies OutputFormat);
}

export function evidenceHtml(evidence: CampaignEvidence): string {
  const c = evidence.counts;
  const overdue = evidence.rows.filter((row) => row.decided_by === 'default');
  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Access review ${evidence.name}</title><style>${PAGE_STYLE}@media print{body{background:#fff}.card{border:0;box-shadow:none}}</style></head>
<body><main><div class="card">
<h1>Access review: ${evidence.name}</h1>
<p class="lead">Campaign <code>${evidence.campaignId}</code>, built from the audit trail alone.</p>
<dl>
<dt>Scope</dt><dd>${evidence.scope}</dd>
<dt>Started</dt><dd>${evidence.startedAt}</dd>
<dt>Due</dt><dd>${evidence.dueAt}</dd>
<dt>Default applied at</dt><dd>${evidence.deadlineAt}</dd>
<dt>Closed</dt><dd>${evidence.closedAt ?? 'not closed'}</dd>
<dt>Snapshot hash</dt><dd><code>${evidence.snapshotHash}</code></dd>
<dt>Items</dt><dd>${evidence.itemCount} (${evidence.complete ? 'every item of the snapshot has a decision; hash verified' : 'INCOMPLETE: the decisions do not match the snapshot'})</dd>
<dt>Chain head at close</dt><dd>${evidence.chainHead ? html`seq ${evidence.chainHead.seq}, <code>${evidence.chainHead.hash}</code>` : 'not closed'}</dd>
</dl>
<table><thead><tr><th>Decision</th><th>Items</th></tr></thead><tbody>
<tr><td>keep</td><td>${c.keep}</td></tr><tr><td>revoke</td><td>${c.revoke}</td></tr><tr><td>flag</td><td>${c.flag}</td></tr>
<tr><td>pending</td><td>${c.pending}</td></tr><tr><td>by default (overdue)</td><td>${c.defaulted}</td></tr>
<tr><td>escalated</td><td>${c.escalated}</td></tr><tr><td>refused attempts</td><td>${c.refused}</td></tr><tr><td>findings</td><td>${c.findings}</td></tr>
</tbody></table>
<h2>Overdue and defaulted items</h2>
<table><thead><tr><th>Person</th><th>Entitlement</th><th>Source</th><th>Reviewer</th><th>Default</th></tr></thead><tbody>
${overdue.map((row) => html`<tr><td>${row.person}</td><td>${row.entitlement}</td><td>${row.source}</td><td>${row.reviewer}</td><td>${row.decision}</td></tr>`)}
</tbody></table>
</div></main></body></html>
`;
  return page.value;
}

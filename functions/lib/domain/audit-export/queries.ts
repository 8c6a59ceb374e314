import type { AuditEntry } from '../audit/entry.ts';
import { readAuditEntries, type ExportSource, type ReadOptions } from './reader.ts';

/**
 * The auditor's questions, each answered in one streaming pass over an export. A query keeps
 * only what its answer needs (one person's entries, one entitlement's grant events, the latest
 * grant event per grant), never the whole export.
 */
export type Cell = string | number;
export interface QueryResult {
  columns: string[];
  rows: Record<string, Cell>[];
}

export interface Query {
  consume(entry: AuditEntry): void;
  result(): QueryResult;
}

const bySubjectSeq = (a: AuditEntry, b: AuditEntry): number => (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : a.seq - b.seq);
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Who approved each request: requestId -> approver ids. Approvals are few next to the rest. */
class ApprovalIndex {
  private readonly byRequest = new Map<string, Set<string>>();
  consume(entry: AuditEntry): void {
    if (entry.kind !== 'approval.approved') return;
    const approvers = this.byRequest.get(entry.requestId) ?? new Set<string>();
    approvers.add(entry.actor.slice(entry.actor.indexOf(':') + 1));
    this.byRequest.set(entry.requestId, approvers);
  }
  of(requestId: string): string {
    return [...(this.byRequest.get(requestId) ?? [])].sort().join(' ');
  }
}

/**
 * The approver's comment of an approval decision ('' for any other entry), on one line: runs of
 * whitespace (a textarea's line breaks) become one space so table output stays one row per entry.
 */
const commentOf = (entry: AuditEntry): string =>
  (entry.kind === 'approval.approved' || entry.kind === 'approval.denied') && entry.detail.comment ? entry.detail.comment.replace(/\s+/g, ' ').trim() : '';

/** Everything that happened to a person, in order. */
export function personHistory(subject: string): Query {
  const entries: AuditEntry[] = [];
  return {
    consume: (entry) => {
      if (entry.subject === subject) entries.push(entry);
    },
    result: () => ({
      columns: ['seq', 'at', 'kind', 'actor', 'entitlementId', 'requestId', 'reason', 'comment'],
      rows: entries
        .sort((a, b) => a.seq - b.seq)
        .map((e) => ({ seq: e.seq, at: e.at, kind: e.kind, actor: e.actor, entitlementId: e.entitlementId ?? '', requestId: e.requestId, reason: e.reason, comment: commentOf(e) })),
    }),
  };
}

type GrantEvent = Extract<AuditEntry, { kind: 'grant.applied' | 'grant.revoked' }>;
const isGrantEvent = (entry: AuditEntry): entry is GrantEvent => entry.kind === 'grant.applied' || entry.kind === 'grant.revoked';
/**
 * A grant is (subject, entitlement, basis) for a role, and also the request for a time-bound grant: two
 * time-bound requests for one entitlement are two grants that end separately (expiry or early
 * revoke, each audited under its own request id).
 */
const grantKey = (e: GrantEvent): string =>
  e.detail.basis === 'time-bound' ? `${e.subject}\u0000${e.entitlementId}\u0000time-bound\u0000${e.requestId}` : `${e.subject}\u0000${e.entitlementId}\u0000role`;
const heldBy = (e: GrantEvent): string => `${e.subject}\u0000${e.entitlementId}`;
/**
 * A time-bound revoke under a request id that applied no time-bound grant of that person and entitlement is a
 * run that ends every grant of the person (the leaver, under its own execution name): it ends
 * every time-bound grant of the entitlement applied before it.
 */
const endsEveryTimeBoundGrant = (e: GrantEvent, appliedTimeBoundKeys: ReadonlySet<string>): boolean =>
  e.kind === 'grant.revoked' && e.detail.basis === 'time-bound' && !appliedTimeBoundKeys.has(grantKey(e));
const isTimeBoundApplied = (e: GrantEvent): boolean => e.kind === 'grant.applied' && e.detail.basis === 'time-bound';

/** Who held `entitlementId` at `at` (ISO time): the grants applied at or before it and not revoked by then. */
export function holdersAt(entitlementId: string, at: string): Query {
  const moment = Date.parse(at);
  if (Number.isNaN(moment)) throw new RangeError(`--at ${at} is not an ISO date-time`);
  const events: GrantEvent[] = [];
  const approvals = new ApprovalIndex();
  return {
    consume: (entry) => {
      approvals.consume(entry);
      if (isGrantEvent(entry) && entry.entitlementId === entitlementId && Date.parse(entry.at) <= moment) events.push(entry);
    },
    result: () => {
      const held = new Map<string, GrantEvent>();
      const appliedTimeBoundKeys = new Set(events.filter(isTimeBoundApplied).map(grantKey));
      for (const event of events.sort(bySubjectSeq)) {
        if (event.kind === 'grant.applied') held.set(grantKey(event), event);
        else if (!endsEveryTimeBoundGrant(event, appliedTimeBoundKeys)) held.delete(grantKey(event));
        else for (const [key, grant] of held) if (grant.subject === event.subject && grant.detail.basis === 'time-bound') held.delete(key);
      }
      const rows = [...held.values()]
        .sort(bySubjectSeq)
        .map((e) => ({ subject: e.subject, entitlementId: e.entitlementId, basis: e.detail.basis, since: e.at, requestId: e.requestId, approvedBy: approvals.of(e.requestId) }));
      return { columns: ['subject', 'entitlementId', 'basis', 'since', 'requestId', 'approvedBy'], rows };
    },
  };
}

/** Every decision (approve / deny) an approver made. */
export function approverDecisions(approverId: string): Query {
  const actor = `approver:${approverId}`;
  const entries: AuditEntry[] = [];
  return {
    consume: (entry) => {
      if ((entry.kind === 'approval.approved' || entry.kind === 'approval.denied') && entry.actor === actor) entries.push(entry);
    },
    result: () => ({
      columns: ['at', 'subject', 'decision', 'approvalId', 'requestId', 'reason', 'comment'],
      rows: entries
        .sort((a, b) => compare(a.at, b.at) || bySubjectSeq(a, b))
        .map((e) => ({
          at: e.at,
          subject: e.subject,
          decision: e.kind === 'approval.approved' ? 'approved' : 'denied',
          approvalId: 'approvalId' in e.detail ? e.detail.approvalId : '',
          requestId: e.requestId,
          reason: e.reason,
          comment: commentOf(e),
        })),
    }),
  };
}

/** The latest grant event of every grant (subject, entitlement, basis), and when each subject left. */
class GrantLedger {
  readonly latest = new Map<string, GrantEvent>();
  readonly left = new Map<string, string>();
  readonly approvals = new ApprovalIndex();
  /** A time-bound grant's end as its newest grant.extended moved it (issue #17), by grant key. */
  readonly extendedTo = new Map<string, { seq: number; expiresAt: string }>();
  private readonly appliedTimeBoundKeys = new Set<string>();

  consume(entry: AuditEntry): void {
    this.approvals.consume(entry);
    if (entry.kind === 'grant.extended') {
      const key = `${entry.subject}\u0000${entry.entitlementId}\u0000time-bound\u0000${entry.requestId}`;
      const seen = this.extendedTo.get(key);
      if (!seen || seen.seq < entry.seq) this.extendedTo.set(key, { seq: entry.seq, expiresAt: entry.detail.expiresAt });
    } else if (isGrantEvent(entry)) {
      const key = grantKey(entry);
      if (isTimeBoundApplied(entry)) this.appliedTimeBoundKeys.add(key);
      const seen = this.latest.get(key);
      if (!seen || seen.seq < entry.seq) this.latest.set(key, entry);
    } else if (entry.kind === 'request.received' && entry.detail.requestType === 'leaver') {
      // Only the run that revokes counts: a leave scheduled for later (effectiveAt after the
      // entry) may still be moved or cancelled; when its schedule fires, that run is recorded too.
      // Compared as instants: effectiveAt may have no fraction of a second (…:29Z vs …:29.388Z).
      const when = entry.detail.effectiveAt ?? entry.at;
      const seen = this.left.get(entry.subject);
      if (Date.parse(when) <= Date.parse(entry.at) && (!seen || Date.parse(when) < Date.parse(seen))) this.left.set(entry.subject, when);
    }
  }

  open(): Extract<GrantEvent, { kind: 'grant.applied' }>[] {
    const endedAllTimeBound = new Map<string, number>();
    for (const e of this.latest.values()) {
      if (endsEveryTimeBoundGrant(e, this.appliedTimeBoundKeys)) endedAllTimeBound.set(heldBy(e), Math.max(e.seq, endedAllTimeBound.get(heldBy(e)) ?? 0));
    }
    return [...this.latest.values()]
      .flatMap((e) => (e.kind === 'grant.applied' && !(e.detail.basis === 'time-bound' && (endedAllTimeBound.get(heldBy(e)) ?? 0) > e.seq) ? [e] : []))
      .sort((a, b) => bySubjectSeq(a, b));
  }
}

/** Grants applied and not revoked since (by the export's time). */
export function openGrants(): Query {
  const ledger = new GrantLedger();
  return {
    consume: (entry) => ledger.consume(entry),
    result: () => ({
      columns: ['subject', 'entitlementId', 'basis', 'since', 'expiresAt', 'requestId', 'approvedBy'],
      rows: ledger.open().map((e) => ({
        subject: e.subject,
        entitlementId: e.entitlementId,
        basis: e.detail.basis,
        since: e.at,
        expiresAt: ledger.extendedTo.get(grantKey(e))?.expiresAt ?? e.detail.expiresAt ?? '',
        requestId: e.requestId,
        approvedBy: ledger.approvals.of(e.requestId),
      })),
    }),
  };
}

/** Grants still open for people whose leave took effect (a leaver run that revoked). */
export function grantsAfterLeaving(): Query {
  const ledger = new GrantLedger();
  return {
    consume: (entry) => ledger.consume(entry),
    result: () => ({
      columns: ['subject', 'entitlementId', 'basis', 'since', 'leftAt', 'requestId'],
      rows: ledger.open().flatMap((e) => {
        const leftAt = ledger.left.get(e.subject);
        return leftAt === undefined ? [] : [{ subject: e.subject, entitlementId: e.entitlementId, basis: e.detail.basis, since: e.at, leftAt, requestId: e.requestId }];
      }),
    }),
  };
}

/** Streams the export through one query. */
export async function runQuery(source: ExportSource, query: Query, options: ReadOptions = {}): Promise<QueryResult> {
  for await (const { entry } of readAuditEntries(source, options)) query.consume(entry);
  return query.result();
}

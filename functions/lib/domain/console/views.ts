import type { Catalogue } from '../catalogue/schema.ts';
import type { StoredApproval, StoredAuditEntry, StoredGrant, StoredRequest } from './ports.ts';

/** How the console pages show stored records: pure functions, no I/O. */

export interface Holding {
  entitlementId: string;
  name: string;
  source: 'birthright' | 'role' | 'time-bound';
  since: string | null;
  expiresAt: string | null;
  requestId: string | null;
}

const SOURCE_KINDS: Record<string, Holding['source']> = { role: 'role', 'time-bound': 'time-bound', birthright: 'birthright' };

/** An entitlement's display name from the catalogue (its id when the catalogue no longer has it). */
export function entitlementName(catalogue: Catalogue, id: string): string {
  const entitlement = catalogue.entitlements.find((e) => e.id === id);
  if (!entitlement) return id;
  switch (entitlement.kind) {
    case 'group':
      return entitlement.displayName;
    case 'workstation':
      return `Workstation (${entitlement.profile})`;
    case 'account-assignment':
      return `${entitlement.permissionSet} on ${entitlement.accountIds.join(', ')}`;
  }
}

/** What a person holds now: active grants, not past their expiry at `now`, role ones first. */
export function holdingsOf(catalogue: Catalogue, grants: readonly StoredGrant[], now: Date): Holding[] {
  const birthright = new Set(catalogue.birthright);
  return grants
    .filter((g) => g.status === 'active' && (!g.expiresAt || Date.parse(g.expiresAt) > now.getTime()))
    .map((g): Holding => {
      const kind = g.source.slice(0, g.source.indexOf(':') === -1 ? undefined : g.source.indexOf(':'));
      const source = kind === 'role' && birthright.has(g.entitlementId) ? 'birthright' : (SOURCE_KINDS[kind] ?? 'role');
      return { entitlementId: g.entitlementId, name: entitlementName(catalogue, g.entitlementId), source, since: g.grantedAt ?? null, expiresAt: g.expiresAt ?? null, requestId: source === 'time-bound' ? (g.requestId ?? null) : null };
    })
    .sort((a, b) => a.source.localeCompare(b.source) || a.name.localeCompare(b.name));
}

export interface RequestView {
  requestId: string;
  entitlementIds: string[];
  duration: string;
  justification: string;
  status: string;
  waitingFor: string[];
  createdAt: string;
  expiresAt: string | null;
}

/**
 * The status a requester sees: what the workflow recorded on the request, `expired` once a
 * granted request is past its end or its expiry ended it, `pending-approval` while any approver
 * has not decided.
 */
export function requestView(request: StoredRequest, approvals: readonly StoredApproval[], now: Date): RequestView {
  const pending = approvals.filter((a) => a.status === 'pending' && Date.parse(a.expiresAt) > now.getTime());
  let status = request.status ?? (request.decision.decision === 'needs-approval' ? 'pending-approval' : 'submitted');
  if (status === 'granted' && request.expiresAt && Date.parse(request.expiresAt) <= now.getTime()) status = 'expired';
  if (status === 'ended' && request.endReason === 'expired') status = 'expired';
  return {
    requestId: request.requestId,
    entitlementIds: request.entitlements.map((e) => e.id),
    duration: String(request.duration ?? ''),
    justification: request.justification ?? '',
    status,
    waitingFor: status === 'pending-approval' ? [...new Set(pending.map((a) => a.approver.email))] : [],
    createdAt: request.createdAt,
    // A request revoked early ended then, not at its planned expiry.
    expiresAt: status === 'ended' && request.endedAt ? request.endedAt : (request.expiresAt ?? null),
  };
}

export interface TimelineRow {
  at: string;
  event: string;
  actor: string;
  detail: string;
}

/** A person's audit entries as a timeline row each, newest first. */
export function timelineOf(entries: readonly StoredAuditEntry[]): TimelineRow[] {
  return [...entries]
    .sort((a, b) => b.seq - a.seq)
    .map((e) => ({ at: e.at, event: e.kind, actor: e.actor, detail: e.entitlementId ? `${e.entitlementId}: ${e.reason}` : e.reason }));
}

export interface FindingView {
  findingId: string;
  kind: string;
  subject: string;
  state: string;
  foundAt: string;
}

/** Reconciliation findings (audit entries `reconciliation.finding`) with their state: flagged or what was done. */
export function findingsOf(entries: readonly StoredAuditEntry[]): FindingView[] {
  return entries
    .filter((e) => e.kind === 'reconciliation.finding')
    .map((e) => ({
      findingId: `${e.subject}#${e.seq}`,
      kind: typeof e.detail?.finding === 'string' ? e.detail.finding : e.reason.split(':')[0] ?? e.kind,
      subject: e.subject,
      state: typeof e.detail?.action === 'string' ? e.detail.action : 'flagged',
      foundAt: e.at,
    }))
    .sort((a, b) => b.foundAt.localeCompare(a.foundAt));
}

import type { Grant } from '#lib/domain/grants/grants';
import type { ClosedStatus, NewGrantItem } from '#lib/domain/grants/item';
import type { RequestItem } from '#lib/domain/requests/request-record';
import type { EndChange, ExtendOutcome, ExtensionRequestView, StoredGrant, TimeBoundGrants, TimeBoundRequests, TimeBoundRequestView } from '#lib/domain/time-bound/ports';

/** The grants table's time-bound items in memory, keeping the adapters' conditions (put once, close once, extend once). */
export class MemoryTimeBoundGrants implements TimeBoundGrants {
  readonly items = new Map<string, StoredGrant & { extendedBy?: string }>();
  list(employeeId: string): Promise<StoredGrant[]> {
    return Promise.resolve([...this.items.values()].filter((item) => item.grant.employeeId === employeeId).map((item) => structuredClone(item)));
  }
  putIfAbsent(item: NewGrantItem): Promise<boolean> {
    if (this.items.has(item.grantKey)) return Promise.resolve(false);
    if (!item.expiresAt) throw new Error('a time-bound grant item needs expiresAt');
    const source = { kind: 'time-bound' as const, requestId: item.requestId, expiresAt: item.expiresAt };
    this.items.set(item.grantKey, { grantKey: item.grantKey, status: 'active', membershipId: item.membershipId, grant: { employeeId: item.employeeId, entitlementId: item.entitlementId, source } });
    return Promise.resolve(true);
  }
  role(grant: Grant): void {
    this.items.set(`${grant.entitlementId}#role`, { grantKey: `${grant.entitlementId}#role`, status: 'active', grant });
  }
  close(_employeeId: string, grantKey: string, status: ClosedStatus, _at: string, executionName: string): Promise<boolean> {
    const item = this.items.get(grantKey);
    if (item?.status !== 'active') return Promise.resolve(false);
    this.items.set(grantKey, { ...item, status, revokedBy: executionName });
    return Promise.resolve(true);
  }
  /** The adapter's condition (dynamodb/end-change.ts): still active, still ending at `from`, `from` after `now`. */
  extend(_employeeId: string, grantKey: string, change: EndChange): Promise<ExtendOutcome> {
    const item = this.items.get(grantKey);
    if (!item || item.grant.source.kind !== 'time-bound') return Promise.resolve({ result: 'refused' });
    const { source } = item.grant;
    if (item.status === 'active' && source.expiresAt === change.from && source.expiresAt > change.now) {
      this.items.set(grantKey, { ...item, extendedBy: change.by, grant: { ...item.grant, source: { ...source, expiresAt: change.to } } });
      return Promise.resolve({ result: 'extended' });
    }
    if (item.status === 'active' && source.expiresAt === change.to && item.extendedBy === change.by) return Promise.resolve({ result: 'already' });
    return Promise.resolve({ result: 'refused', status: item.status, expiresAt: source.expiresAt });
  }
}

/** The requests table's time-bound and extension items in memory, with the adapters' conditions. */
export class MemoryRequestItems implements Pick<TimeBoundRequests, 'get' | 'getExtension' | 'markExtended' | 'markExtensionApplied'> {
  readonly items = new Map<string, RequestItem>();
  put(item: RequestItem): void {
    this.items.set(item.requestId, structuredClone(item));
  }
  get(requestId: string): Promise<TimeBoundRequestView | undefined> {
    const item = this.items.get(requestId);
    return Promise.resolve(item?.kind === 'time-bound' ? (structuredClone(item) as TimeBoundRequestView) : undefined);
  }
  getExtension(requestId: string): Promise<ExtensionRequestView | undefined> {
    const item = this.items.get(requestId);
    return Promise.resolve(item?.kind === 'extension' ? (structuredClone(item) as ExtensionRequestView) : undefined);
  }
  markExtended(requestId: string, change: EndChange): Promise<ExtendOutcome> {
    const item = this.items.get(requestId);
    if (item?.status === 'granted' && item.expiresAt === change.from && item.expiresAt > change.now) {
      this.items.set(requestId, { ...item, expiresAt: change.to, extendedBy: change.by });
      return Promise.resolve({ result: 'extended' });
    }
    if (item?.status === 'granted' && item.expiresAt === change.to && item.extendedBy === change.by) return Promise.resolve({ result: 'already' });
    return Promise.resolve({ result: 'refused', ...(item?.status ? { status: item.status } : {}), ...(item?.expiresAt ? { expiresAt: item.expiresAt } : {}) });
  }
  markExtensionApplied(requestId: string, executionId: string, at: string): Promise<boolean> {
    const item = this.items.get(requestId);
    if (item?.kind !== 'extension' || item.executionId !== executionId || item.status) return Promise.resolve(false);
    this.items.set(requestId, { ...item, status: 'extended', finishedAt: at });
    return Promise.resolve(true);
  }
}

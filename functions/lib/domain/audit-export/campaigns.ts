import type { AuditEntry } from '../audit/entry.ts';
import { snapshotHash, type SnapshotTriple } from '../audit/snapshot.ts';

/**
 * Access review campaigns in an export (issue #16): beyond each chain, a closed campaign must
 * account for its snapshot. Its final decisions (one per item) must be exactly `itemCount` and
 * their [person, entitlement, source] triples must hash to the `snapshotHash` written at the
 * start. A decision cut from the end of a person's chain (which the chain itself cannot see) or
 * an item added or dropped is found here.
 */
export interface CampaignFinding {
  campaignId: string;
  problem: 'missing-start' | 'item-count' | 'snapshot-hash';
  detail: string;
}

interface CampaignState {
  started?: { itemCount: number; snapshotHash: string };
  closed: boolean;
  finals: Map<string, SnapshotTriple>;
}

export class CampaignVerifier {
  private readonly campaigns = new Map<string, CampaignState>();

  private state(campaignId: string): CampaignState {
    let state = this.campaigns.get(campaignId);
    if (!state) {
      state = { closed: false, finals: new Map() };
      this.campaigns.set(campaignId, state);
    }
    return state;
  }

  add(entry: AuditEntry): void {
    if (entry.kind === 'review.started') this.state(entry.requestId).started = { itemCount: entry.detail.itemCount, snapshotHash: entry.detail.snapshotHash };
    else if (entry.kind === 'review.closed') this.state(entry.requestId).closed = true;
    else if (entry.kind === 'review.decided' && entry.detail.final) {
      const triple: SnapshotTriple = [entry.subject, entry.entitlementId, entry.detail.source];
      this.state(entry.requestId).finals.set(triple.join('\n'), triple);
    }
  }

  /** Findings for closed campaigns (an open one is still collecting decisions). */
  report(): CampaignFinding[] {
    const findings: CampaignFinding[] = [];
    for (const [campaignId, state] of [...this.campaigns].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (!state.closed) continue;
      if (!state.started) {
        findings.push({ campaignId, problem: 'missing-start', detail: 'closed, but its review.started entry (the snapshot hash) is not in the export' });
        continue;
      }
      const decided = state.finals.size;
      if (decided !== state.started.itemCount) {
        findings.push({ campaignId, problem: 'item-count', detail: `${decided} final decisions for a snapshot of ${state.started.itemCount} items` });
      } else if (snapshotHash([...state.finals.values()]) !== state.started.snapshotHash) {
        findings.push({ campaignId, problem: 'snapshot-hash', detail: 'the decided items do not hash to the snapshot hash written at the start' });
      }
    }
    return findings;
  }
}

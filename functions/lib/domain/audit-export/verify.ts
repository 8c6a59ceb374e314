import { computeHash, type ChainProblem } from '../audit/chain.ts';
import { ZERO_HASH, type AuditEntry } from '../audit/entry.ts';
import { readAuditEntries, type ExportSource, type IntegrityProblem, type ReadOptions } from './reader.ts';
import { CampaignVerifier, type CampaignFinding } from './campaigns.ts';

/**
 * Verifies every subject's hash chain while the export streams by. The same rules as
 * verifyChain (chain.ts), without holding the export: per subject it keeps the next expected
 * seq, the stored hash of the entry before it, and only the entries that arrived ahead of
 * their turn (an export lists items in no particular order).
 */
export interface ChainFinding {
  subject: string;
  /** The first seq where the chain is broken (for a gap: the first missing seq). */
  seq: number;
  problem: ChainProblem;
  /** What is wrong, in words. */
  detail: string;
  /** `<data file>:<line>` of the offending entry, when there is one. */
  where?: string;
}

export interface VerifyReport {
  ok: boolean;
  entries: number;
  subjects: number;
  /** The first broken link of each broken subject, by subject. */
  breaks: ChainFinding[];
  integrity: IntegrityProblem[];
  /** Closed access review campaigns whose decisions do not account for their snapshot (campaigns.ts). */
  campaigns: CampaignFinding[];
}

interface Link {
  hash: string;
  prevHash: string;
  hashOk: boolean;
  computed: string;
  where: string;
}

interface SubjectState {
  next: number;
  lastHash: string;
  ahead: Map<number, Link>;
  first?: ChainFinding;
}

const short = (hash: string): string => `${hash.slice(0, 12)}…`;

export class StreamingVerifier {
  private readonly subjects = new Map<string, SubjectState>();
  private readonly campaigns = new CampaignVerifier();
  private count = 0;

  add(entry: AuditEntry, where: string): void {
    this.count += 1;
    this.campaigns.add(entry);
    let state = this.subjects.get(entry.subject);
    if (!state) {
      state = { next: 1, lastHash: ZERO_HASH, ahead: new Map() };
      this.subjects.set(entry.subject, state);
    }
    const computed = computeHash(entry);
    const link: Link = { hash: entry.hash, prevHash: entry.prevHash, hashOk: computed === entry.hash, computed, where };
    if (entry.seq < state.next || state.ahead.has(entry.seq)) {
      this.found(entry.subject, state, { seq: entry.seq, problem: 'duplicate', detail: `seq ${entry.seq} appears more than once`, where });
      return;
    }
    state.ahead.set(entry.seq, link);
    for (let ready = state.ahead.get(state.next); ready; ready = state.ahead.get(state.next)) {
      state.ahead.delete(state.next);
      const seq = state.next;
      if (!ready.hashOk) {
        this.found(entry.subject, state, {
          seq,
          problem: 'hash-mismatch',
          detail: `stored hash ${short(ready.hash)} but the entry's content hashes to ${short(ready.computed)} (edited)`,
          where: ready.where,
        });
      } else if (ready.prevHash !== state.lastHash) {
        this.found(entry.subject, state, {
          seq,
          problem: 'bad-prev-hash',
          detail: `prevHash ${short(ready.prevHash)} is not the hash of seq ${seq - 1} (${short(state.lastHash)})`,
          where: ready.where,
        });
      }
      state.lastHash = ready.hash;
      state.next += 1;
    }
  }

  private found(subject: string, state: SubjectState, finding: Omit<ChainFinding, 'subject'>): void {
    if (!state.first || finding.seq < state.first.seq) state.first = { subject, ...finding };
  }

  report(integrity: IntegrityProblem[] = []): VerifyReport {
    const breaks: ChainFinding[] = [];
    for (const [subject, state] of this.subjects) {
      if (state.ahead.size > 0) {
        let after = Infinity;
        for (const seq of state.ahead.keys()) after = Math.min(after, seq);
        this.found(subject, state, {
          seq: state.next,
          problem: 'missing-sequence',
          detail: `seq ${state.next} is missing (seq ${state.next - 1} is followed by seq ${after})`,
        });
      }
      if (state.first) breaks.push(state.first);
    }
    breaks.sort((a, b) => (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0));
    const campaigns = this.campaigns.report();
    return { ok: breaks.length === 0 && integrity.length === 0 && campaigns.length === 0, entries: this.count, subjects: this.subjects.size, breaks, integrity, campaigns };
  }
}

/** Reads the whole export once and verifies every chain in it. */
export async function verifyExport(source: ExportSource, options: ReadOptions = {}): Promise<VerifyReport> {
  const verifier = new StreamingVerifier();
  const integrity: IntegrityProblem[] = [];
  const onIntegrityProblem = (problem: IntegrityProblem) => {
    integrity.push(problem);
    options.onIntegrityProblem?.(problem);
  };
  for await (const { entry, file, line } of readAuditEntries(source, { ...options, onIntegrityProblem })) verifier.add(entry, `${file}:${line}`);
  return verifier.report(integrity);
}

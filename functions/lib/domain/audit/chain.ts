import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { ValidationError } from '../shared/errors.ts';
import { AUDIT_ENTRY_VERSION, ZERO_HASH, auditDraftSchema, auditEntrySchema, formatActor, type AuditDraft, type AuditEntry } from './entry.ts';

/**
 * The hash chain. Per subject, entry `seq` n carries `prevHash` = `hash` of entry n-1
 * (64 zeros for n = 1), and `hash` = SHA-256 (lowercase hex) of the canonical form of the
 * entry without `hash`. An auditor recomputes it from the S3 export alone:
 *
 *   canonical(value) = JSON with object keys sorted by UTF-16 code unit, no whitespace,
 *   absent (undefined) properties left out, arrays in order, numbers as JSON prints them
 *   (all numbers here are integers), strings escaped as JSON.stringify does;
 *   hash = sha256_hex(utf8(canonical(entry minus "hash")))
 *
 * A DynamoDB-JSON export maps back 1:1: S -> string, N -> number, BOOL -> boolean,
 * M -> object, L -> array.
 */

/** An entry as read back from anywhere (an export, a test): only the chain fields are assumed. */
export type ChainLink = { readonly subject: string; readonly seq: number; readonly prevHash: string; readonly hash: string } & Readonly<
  Record<string, unknown>
>;

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('canonicalJson: numbers must be finite');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((item: unknown) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  if (typeof value === 'object') {
    const fields = Object.entries(value as Record<string, unknown>)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, field]) => `${JSON.stringify(key)}:${canonicalJson(field)}`);
    return `{${fields.join(',')}}`;
  }
  throw new TypeError(`canonicalJson: cannot serialise a ${typeof value}`);
}

/** SHA-256 hex of the canonical form of `entry` without its `hash` field. */
export function computeHash(entry: Readonly<Record<string, unknown>>): string {
  const body = Object.fromEntries(Object.entries(entry).filter(([key]) => key !== 'hash'));
  return createHash('sha256').update(canonicalJson(body), 'utf8').digest('hex');
}

/** A draft as chained: the store stamps `at` from its clock. */
export type ChainDraft = AuditDraft & { at: string };

const describe = (issues: z.core.$ZodIssue[]): string =>
  issues.map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`).join('; ');

/** The draft, checked against its schema; throws ValidationError naming the field. */
export function validateDraft(draft: unknown): AuditDraft {
  const parsed = auditDraftSchema.safeParse(draft);
  if (!parsed.success) throw new ValidationError(`invalid audit draft: ${describe(parsed.error.issues)}`);
  return parsed.data;
}

/**
 * The entry that follows `previous` (the subject's latest entry, or undefined for the first).
 * Throws ValidationError naming the field when the draft is not a valid entry.
 */
export function chainEntry(previous: AuditEntry | undefined, draft: ChainDraft): AuditEntry {
  const { at, ...rest } = draft;
  const valid = validateDraft(rest);
  if (previous && previous.subject !== valid.subject) {
    throw new ValidationError(`audit draft subject ${valid.subject} cannot follow an entry of subject ${previous.subject}`);
  }
  const body = {
    ...valid,
    v: AUDIT_ENTRY_VERSION,
    actor: formatActor(valid.actor),
    seq: previous ? previous.seq + 1 : 1,
    at,
    day: at.slice(0, 10),
    prevHash: previous ? previous.hash : ZERO_HASH,
  };
  const entry = auditEntrySchema.safeParse({ ...body, hash: computeHash(body) });
  if (!entry.success) throw new ValidationError(`invalid audit entry: ${describe(entry.error.issues)}`);
  return entry.data;
}

export type ChainProblem = 'missing-sequence' | 'hash-mismatch' | 'duplicate' | 'bad-prev-hash';
export interface ChainBreak {
  subject: string;
  /** The first seq where the chain is broken (for a gap: the first missing seq). */
  seq: number;
  problem: ChainProblem;
}
export type ChainVerdict = { ok: true } | ({ ok: false; breaks: ChainBreak[] } & ChainBreak);

function firstBreak(subject: string, links: ChainLink[]): ChainBreak | undefined {
  const sorted = [...links].sort((a, b) => a.seq - b.seq);
  let previousHash = ZERO_HASH;
  for (let index = 0; index < sorted.length; index += 1) {
    const link = sorted[index]!;
    const expectedSeq = index + 1;
    if (index > 0 && link.seq === sorted[index - 1]!.seq) return { subject, seq: link.seq, problem: 'duplicate' };
    if (link.seq !== expectedSeq) return { subject, seq: expectedSeq, problem: 'missing-sequence' };
    if (computeHash(link) !== link.hash) return { subject, seq: link.seq, problem: 'hash-mismatch' };
    if (link.prevHash !== previousHash) return { subject, seq: link.seq, problem: 'bad-prev-hash' };
    previousHash = link.hash;
  }
  return undefined;
}

/**
 * Verifies every subject's chain in `entries` (any order, any mix of subjects, e.g. a whole
 * export). Reports the first broken link of each broken subject in `breaks`, the first of those
 * (by subject) at the top level. A chain cut off after its last entry still verifies: detecting
 * truncation needs an anchor outside the table (a recorded head seq/hash).
 */
export function verifyChain(entries: readonly ChainLink[]): ChainVerdict {
  const bySubject = new Map<string, ChainLink[]>();
  for (const entry of entries) {
    const links = bySubject.get(entry.subject);
    if (links) links.push(entry);
    else bySubject.set(entry.subject, [entry]);
  }
  const breaks = [...bySubject.keys()]
    .sort()
    .map((subject) => firstBreak(subject, bySubject.get(subject)!))
    .filter((found): found is ChainBreak => found !== undefined);
  const [first] = breaks;
  return first ? { ok: false, ...first, breaks } : { ok: true };
}

import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, chainEntry, computeHash, verifyChain, type ChainLink } from '#lib/domain/audit/chain';
import { AUDIT_KINDS, ZERO_HASH, parseActor, type AuditDraft, type AuditEntry } from '#lib/domain/audit/entry';
import { ValidationError } from '#lib/domain/shared/errors';
import { allDrafts, buildChain, drafts } from './factories.ts';

const AT = '2025-03-03T08:00:00.000Z';
type Mutable = Record<string, unknown>;
/** A deep copy the test may break in ways the types forbid. */
const loose = (entry: AuditEntry): Mutable => structuredClone(entry);
const rehash = (entry: Mutable): Mutable => ({ ...entry, hash: computeHash(entry) });
const links = (entries: Mutable[]): ChainLink[] => entries as ChainLink[];

describe('chainEntry', () => {
  it('starts a subject at seq 1 with a zero prevHash and links the next entry to it', () => {
    const first = chainEntry(undefined, { ...drafts.requestReceived(), at: AT });
    const second = chainEntry(first, { ...drafts.approvalApproved(), at: '2025-03-04T00:00:01.000Z' });

    expect(first).toMatchObject({ seq: 1, prevHash: ZERO_HASH, day: '2025-03-03', actor: 'hris:bamboohr', v: 1 });
    expect(first.hash).toBe(computeHash(first));
    expect(second).toMatchObject({ seq: 2, prevHash: first.hash, day: '2025-03-04', actor: 'approver:alice@example.com' });
    expect(parseActor(second.actor)).toEqual({ type: 'approver', id: 'alice@example.com' });
  });

  it('hashes the documented canonical form (sorted keys, no whitespace, absent fields left out)', () => {
    const entry = chainEntry(undefined, { ...drafts.approvalApproved(), at: AT });
    const expected =
      '{"actor":"approver:alice@example.com","at":"2025-03-03T08:00:00.000Z","day":"2025-03-03",' +
      '"detail":{"approvalId":"apv-9f2c"},"entitlementId":"aws-prod-readonly","executionId":"joiner-dlv-1",' +
      '"kind":"approval.approved","prevHash":"' + ZERO_HASH + '","reason":"approved by link","requestId":"req-1",' +
      '"seq":1,"subject":"E1001","v":1}';

    expect(entry.hash).toBe(createHash('sha256').update(expected, 'utf8').digest('hex'));
  });

  it('gives the same hash whatever the key order, at every depth', () => {
    const entry = chainEntry(undefined, { ...drafts.policyDecided(), at: AT });
    const reversed = Object.fromEntries(
      Object.entries(entry)
        .reverse()
        .map(([key, value]) => [key, key === 'detail' ? Object.fromEntries(Object.entries(value as Mutable).reverse()) : value]),
    );

    expect(Object.keys(reversed)[0]).not.toBe(Object.keys(entry)[0]);
    expect(computeHash(reversed)).toBe(entry.hash);
    expect(canonicalJson({ b: [2, { d: 'x', c: undefined }], a: 1 })).toBe('{"a":1,"b":[2,{"d":"x"}]}');
  });

  it('rejects a "-" entitlement sentinel, a grant without an entitlement and an unknown field, naming the field', () => {
    const sentinel = { ...drafts.approvalApproved(), entitlementId: '-', at: AT };
    const grant: Mutable = { ...drafts.grantApplied() };
    delete grant.entitlementId;
    const extra = { ...drafts.requestReceived(), email: 'subject@example.com', at: AT };

    expect(() => chainEntry(undefined, sentinel)).toThrow(/entitlementId/);
    expect(() => chainEntry(undefined, { ...grant, at: AT } as AuditDraft & { at: string })).toThrow(/entitlementId/);
    expect(() => chainEntry(undefined, extra)).toThrow(ValidationError);
  });

  it('refuses to chain a draft onto another subject', () => {
    const first = chainEntry(undefined, { ...drafts.requestReceived('E1'), at: AT });

    expect(() => chainEntry(first, { ...drafts.policyDecided('E2'), at: AT })).toThrow(/subject E2/);
  });

  it('knows every kind the brief lists', () => {
    expect([...AUDIT_KINDS].sort()).toEqual(
      [
        'request.received', 'policy.decided', 'approval.requested', 'approval.approved', 'approval.denied', 'approval.expired',
        'grant.applied', 'grant.revoked', 'grant.extended', 'provisioning.failed', 'compensation.applied', 'reconciliation.finding', 'leave.decided', 'reconciliation.run', 'request.ignored', 'request.withdrawn',
        'identity.updated', 'identity.adopted',
        'review.started', 'review.decided', 'review.refused', 'review.reminded', 'review.escalated', 'review.finding', 'review.closed',
      ].sort(),
    );
  });
});

describe('verifyChain', () => {
  const chain = (): Mutable[] => buildChain(allDrafts()).map(loose);

  it('accepts a valid chain in any order and mixed with other subjects', () => {
    const mixed = [...chain(), ...buildChain(allDrafts('E2002')).map(loose)].reverse();

    expect(verifyChain(links(mixed))).toEqual({ ok: true });
  });

  it('finds a deleted entry as the first missing seq', () => {
    const middle = chain().filter((entry) => entry.seq !== 3);
    const first = chain().slice(1);

    expect(verifyChain(links(middle))).toMatchObject({ ok: false, subject: 'E1001', seq: 3, problem: 'missing-sequence' });
    expect(verifyChain(links(first))).toMatchObject({ ok: false, seq: 1, problem: 'missing-sequence' });
  });

  it('finds an edited entry, and an edit whose hash was recomputed at the next link', () => {
    const edited = chain();
    edited[1] = { ...edited[1], reason: 'nothing to see here' };
    const rehashed = chain();
    rehashed[1] = rehash({ ...rehashed[1], reason: 'nothing to see here' });

    expect(verifyChain(links(edited))).toMatchObject({ ok: false, seq: 2, problem: 'hash-mismatch' });
    expect(verifyChain(links(rehashed))).toMatchObject({ ok: false, seq: 3, problem: 'bad-prev-hash' });
  });

  it('finds reordered entries, renumbered with and without new hashes', () => {
    const swapped = chain();
    swapped[2] = { ...swapped[2], seq: 4 };
    swapped[3] = { ...swapped[3], seq: 3 };
    const swappedRehashed = chain();
    swappedRehashed[2] = rehash({ ...swappedRehashed[2], seq: 4 });
    swappedRehashed[3] = rehash({ ...swappedRehashed[3], seq: 3 });

    expect(verifyChain(links(swapped))).toMatchObject({ ok: false, seq: 3, problem: 'hash-mismatch' });
    expect(verifyChain(links(swappedRehashed))).toMatchObject({ ok: false, seq: 3, problem: 'bad-prev-hash' });
  });

  it('finds an inserted entry, at its seq or where the renumbered rest starts', () => {
    const original = chain();
    const forged = loose(chainEntry(original[1] as AuditEntry, { ...drafts.grantApplied('E1001', 'aws-admin'), at: AT }));
    const squeezedIn = [...original, forged];
    const renumbered = [...original.slice(0, 2), forged, ...original.slice(2).map((entry) => ({ ...entry, seq: (entry.seq as number) + 1 }))];

    expect(verifyChain(links(squeezedIn))).toMatchObject({ ok: false, seq: 3, problem: 'duplicate' });
    expect(verifyChain(links(renumbered))).toMatchObject({ ok: false, seq: 4, problem: 'hash-mismatch' });
  });

  it('finds a duplicated entry', () => {
    const original = chain();

    expect(verifyChain(links([...original, original[3]!]))).toMatchObject({ ok: false, seq: 4, problem: 'duplicate' });
  });

  it('reports the first break of every broken subject', () => {
    const a = chain();
    a[4] = { ...a[4], hash: ZERO_HASH };
    const b = buildChain(allDrafts('E0500')).map(loose).filter((entry) => entry.seq !== 2);
    const fine = buildChain(allDrafts('E9999')).map(loose);

    expect(verifyChain(links([...fine, ...a, ...b]))).toEqual({
      ok: false,
      subject: 'E0500',
      seq: 2,
      problem: 'missing-sequence',
      breaks: [
        { subject: 'E0500', seq: 2, problem: 'missing-sequence' },
        { subject: 'E1001', seq: 5, problem: 'hash-mismatch' },
      ],
    });
  });

  it('cannot see a chain cut after its last entry (needs an external anchor)', () => {
    expect(verifyChain(links(chain().slice(0, 3)))).toEqual({ ok: true });
  });
});

// ---- properties -------------------------------------------------------------------------------

const id = fc.stringMatching(/^[a-z0-9][a-z0-9.@-]{0,15}$/);
const text = fc.string({ minLength: 1, maxLength: 30 });
const entitlement = fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/);
const common = {
  actor: fc.record({ type: fc.constantFrom('hris', 'approver', 'operator', 'system' as const), id }),
  requestId: id,
  executionId: id,
  reason: text,
  idempotencyKey: fc.option(text, { nil: undefined }),
};
const draftArb = (subject: string): fc.Arbitrary<AuditDraft> =>
  fc.oneof(
    fc.record({
      ...common,
      subject: fc.constant(subject),
      kind: fc.constant('request.received' as const),
      entitlementId: fc.option(entitlement, { nil: undefined }),
      detail: fc.record({ requestType: fc.constantFrom('joiner', 'mover', 'leaver', 'time-bound' as const), deliveryId: id }),
    }),
    fc.record({
      ...common,
      subject: fc.constant(subject),
      kind: fc.constant('policy.decided' as const),
      detail: fc.record({
        outcome: fc.constantFrom('auto-approved', 'approval-required', 'denied' as const),
        policyRule: id,
        entitlementIds: fc.array(entitlement, { minLength: 1, maxLength: 3 }),
      }),
    }),
    fc.record({
      ...common,
      subject: fc.constant(subject),
      kind: fc.constant('grant.revoked' as const),
      entitlementId: entitlement,
      detail: fc.record({ basis: fc.constantFrom('role', 'time-bound' as const), trigger: fc.constantFrom('leaver', 'expiry' as const) }),
    }),
    fc.record({
      ...common,
      subject: fc.constant(subject),
      kind: fc.constant('provisioning.failed' as const),
      detail: fc.record({ step: text, error: id, retryable: fc.boolean(), attempts: fc.integer({ min: 1, max: 9 }) }),
    }),
  );
const atArb = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T23:59:59Z'), noInvalidDate: true });

/** Chains for 1-3 subjects, 1-6 entries each, as one flat list. */
const chainsArb: fc.Arbitrary<AuditEntry[]> = fc
  .uniqueArray(fc.constantFrom('E1', 'E2', 'emp-3'), { minLength: 1, maxLength: 3 })
  .chain((subjects) => fc.tuple(...subjects.map((subject) => fc.array(fc.tuple(draftArb(subject), atArb), { minLength: 1, maxLength: 6 }))))
  .map((perSubject) =>
    perSubject.flatMap((steps) => {
      const entries: AuditEntry[] = [];
      for (const [draft, at] of steps) entries.push(chainEntry(entries.at(-1), { ...draft, at: at.toISOString() }));
      return entries;
    }),
  );

type Path = (string | number)[];
function leafPaths(value: unknown, path: Path = []): Path[] {
  if (Array.isArray(value)) return [path, ...value.flatMap((item, index) => leafPaths(item, [...path, index]))];
  if (value !== null && typeof value === 'object') {
    // An undefined property is absent (not hashed, not stored): not a field to mutate.
    return Object.entries(value)
      .filter(([, field]) => field !== undefined)
      .flatMap(([key, field]) => leafPaths(field, [...path, key]));
  }
  return [path];
}

type Mutation = { change: 'replace'; suffix: string; delta: number } | { change: 'delete' } | { change: 'add'; key: string };
function mutate(target: Mutable, path: Path, mutation: Mutation): void {
  const parent = path.slice(0, -1).reduce<Mutable>((node, key) => node[key] as Mutable, target);
  const key = path.at(-1)!;
  const old = parent[key];
  if (mutation.change === 'delete') {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  } else if (mutation.change === 'add') {
    if (Array.isArray(old)) old.push('extra');
    else if (old !== null && typeof old === 'object') (old as Mutable)[mutation.key] = 'x';
    else if (Array.isArray(parent)) parent.splice(key as number, 0, old);
    else parent[`${String(key)}${mutation.key}`] = old;
  } else if (typeof old === 'string') parent[key] = old + mutation.suffix;
  else if (typeof old === 'number') parent[key] = old + mutation.delta;
  else if (typeof old === 'boolean') parent[key] = !old;
  else if (Array.isArray(old)) old.push('extra');
  else throw new Error(`unexpected leaf at ${path.join('.')}`);
}

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    change: fc.constant('replace' as const),
    suffix: fc.string({ minLength: 1, maxLength: 3 }),
    delta: fc.integer({ min: -5, max: 5 }).filter((delta) => delta !== 0),
  }),
  fc.record({ change: fc.constant('delete' as const) }),
  fc.record({ change: fc.constant('add' as const), key: fc.constantFrom('X', 'note', 'zz') }),
);

describe('verifyChain properties', () => {
  it('a valid chain always verifies, in any order', () => {
    fc.assert(
      fc.property(
        chainsArb.chain((entries) => fc.shuffledSubarray(entries, { minLength: entries.length })),
        (entries) => {
          expect(verifyChain(entries)).toEqual({ ok: true });
        },
      ),
    );
  });

  it('any single mutation of any field of any entry is detected, at that entry unless its key moved', () => {
    const caseArb = chainsArb.chain((entries) =>
      fc.nat({ max: entries.length - 1 }).chain((index) =>
        fc.record({
          entries: fc.constant(entries),
          index: fc.constant(index),
          path: fc.constantFrom(...leafPaths(entries[index]).filter((path) => path.length > 0)),
          mutation: mutationArb,
        }),
      ),
    );
    fc.assert(
      fc.property(caseArb, ({ entries, index, path, mutation }) => {
        const target = entries[index]!;
        const tampered = entries.map(loose);
        mutate(tampered[index]!, path, mutation);
        const keyMoved = path.length === 1 && (path[0] === 'subject' || path[0] === 'seq');

        const verdict = verifyChain(links(tampered));

        expect(verdict.ok).toBe(false);
        if (!keyMoved) expect(verdict).toMatchObject({ subject: target.subject, seq: target.seq, problem: 'hash-mismatch' });
      }),
      { numRuns: 300 },
    );
  });
});

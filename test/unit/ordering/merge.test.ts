import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Employee } from '#lib/domain/events/employee-events';
import { changeFacts, employeeOf, hireFacts, hireVerdict, leaveFacts, mergeAll, mergeEvent, type FactEvent, type PersonFacts } from '#lib/domain/ordering/merge';

/**
 * Per-fact merge by event time (issue #11): the record a person's events leave is the same
 * whatever order they are delivered in, with duplicates, and equals applying them in true time order.
 */

const BASE = Date.parse('2026-03-01T09:00:00.000Z');
const ROLES = ['engineer', 'sales', 'data-scientist'] as const;

const employee = (overrides: Partial<Employee> = {}): Employee => ({
  employeeId: 'E-1',
  email: 'ada@example.com',
  firstName: 'Ada',
  lastName: 'Merge',
  role: 'engineer',
  employmentType: 'employee',
  startDate: '2026-03-01',
  ...overrides,
});

type Drawn = { kind: 'hire' | 'change' | 'leave'; role: (typeof ROLES)[number]; manager: string | undefined; endDate: string | undefined };

const drawnArb: fc.Arbitrary<Drawn> = fc.record({
  kind: fc.constantFrom('hire' as const, 'change' as const, 'leave' as const),
  role: fc.constantFrom(...ROLES),
  manager: fc.option(fc.constantFrom('pat@example.com', 'dana@example.com'), { nil: undefined }),
  endDate: fc.option(fc.constantFrom('2026-12-31', '2027-06-30'), { nil: undefined }),
});

/** The n-th event of a history is at BASE + n minutes: every event of a true history has its own instant. */
function factEvent(drawn: Drawn, n: number): FactEvent {
  const at = new Date(BASE + n * 60_000).toISOString();
  const person = employee({ role: drawn.role, ...(drawn.manager ? { managerEmail: drawn.manager } : {}), ...(drawn.endDate ? { endDate: drawn.endDate } : {}) });
  if (drawn.kind === 'hire') return hireFacts(person, at);
  if (drawn.kind === 'change') return changeFacts(person, at);
  return leaveFacts(at);
}

/** The reference: events in true time order, each overwriting the facts it carries. Nothing else. */
function inTrueOrder(events: readonly FactEvent[]): PersonFacts {
  const record: PersonFacts = {};
  for (const event of [...events].sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt))) {
    for (const [name, value] of Object.entries(event.facts)) record[name as keyof PersonFacts] = { value, at: new Date(event.occurredAt).toISOString() };
  }
  return record;
}

/** A delivery order: every event (and each duplicate) gets a random sort key. */
const deliveryArb = fc.array(drawnArb, { minLength: 1, maxLength: 8 }).chain((history) => {
  const events = history.map(factEvent);
  return fc
    .tuple(fc.array(fc.nat({ max: events.length - 1 }), { maxLength: 4 }), fc.array(fc.noBias(fc.nat({ max: 1_000_000 })), { minLength: events.length + 4, maxLength: events.length + 4 }))
    .map(([duplicates, keys]) => {
      const delivered = [...events, ...duplicates.map((index) => events[index]!)];
      const order = delivered.map((event, index) => ({ event, key: keys[index] ?? 0 })).sort((a, b) => a.key - b.key);
      return { events, delivered: order.map((entry) => entry.event) };
    });
});

describe('per-fact merge (issue #11)', () => {
  it('any delivery order with duplicates ends where the true time order ends', () => {
    fc.assert(
      fc.property(deliveryArb, ({ events, delivered }) => {
        expect(mergeAll(delivered)).toEqual(inTrueOrder(events));
      }),
      { numRuns: 500 },
    );
  });

  it('is commutative and idempotent, equal instants and different values included', () => {
    // Two events may share an instant here (a misbehaving HRIS): the tie goes to the greater value, in any order.
    const eventArb = fc.tuple(drawnArb, fc.nat({ max: 3 })).map(([drawn, n]) => factEvent(drawn, n));
    fc.assert(
      fc.property(fc.array(eventArb, { minLength: 1, maxLength: 6 }), fc.infiniteStream(fc.nat()), (events, stream) => {
        const shuffled = [...events].map((event) => ({ event, key: stream.next().value })).sort((a, b) => a.key - b.key).map((entry) => entry.event);
        const once = mergeAll(events);
        expect(mergeAll(shuffled)).toEqual(once);
        expect(mergeAll(events, once)).toEqual(once);
      }),
      { numRuns: 500 },
    );
  });

  it('a change delivered before its hire is kept: the hire sets the status and start date, not its older role', () => {
    const change = changeFacts(employee({ role: 'sales', managerEmail: 'dana@example.com' }), '2026-03-02T09:00:00Z');
    const hire = hireFacts(employee({ role: 'engineer' }), '2026-03-01T09:00:00Z');
    const first = mergeEvent({}, change);
    const second = mergeEvent(first.merged, hire);

    expect(employeeOf('E-1', first.merged)).toBeUndefined();
    expect(second.applied.sort()).toEqual(['startDate', 'status']);
    expect(employeeOf('E-1', second.merged)).toMatchObject({ role: 'sales', managerEmail: 'dana@example.com', startDate: '2026-03-01' });
    expect(hireVerdict(second, false)).toEqual({ act: true });
  });

  it('a rehire delivered before the leave it follows is not undone by it; the hire older than both is stale as left-after only when the leave is newest', () => {
    const hire = hireFacts(employee(), '2026-03-01T09:00:00Z');
    const leave = leaveFacts('2026-03-02T09:00:00Z');
    const rehire = hireFacts(employee({ role: 'sales' }), '2026-03-03T09:00:00Z');
    const record = mergeAll([rehire, hire]);
    const late = mergeEvent(record, leave);

    expect(late.applied).toEqual([]);
    expect(late.merged.status).toEqual({ value: 'active', at: '2026-03-03T09:00:00.000Z' });
    expect(hireVerdict(mergeEvent(mergeAll([leave]), hire), false)).toEqual({ act: false, why: 'left-after' });
    expect(hireVerdict(mergeEvent(record, hire), false)).toEqual({ act: false, why: 'newer-applied' });
    // A retry of the hire that set the status acts again; a copy of it (another request) does not.
    expect(hireVerdict(mergeEvent(record, rehire), true)).toEqual({ act: true });
    expect(hireVerdict(mergeEvent(record, rehire), false)).toEqual({ act: false, why: 'newer-applied' });
  });

  it('an optional fact the newer event leaves out is absent; an older event that has it does not bring it back', () => {
    const withManager = changeFacts(employee({ managerEmail: 'pat@example.com' }), '2026-03-01T09:00:00Z');
    const without = changeFacts(employee(), '2026-03-02T09:00:00Z');

    expect(mergeAll([without, withManager]).managerEmail).toEqual({ value: undefined, at: '2026-03-02T09:00:00.000Z' });
  });
});

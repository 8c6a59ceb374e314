import type { AuditStore } from '#lib/domain/audit/ports';
import { chainEntry, validateDraft } from '#lib/domain/audit/chain';
import type { AuditDraft, AuditEntry } from '#lib/domain/audit/entry';
import { ConflictError } from '#lib/domain/shared/errors';
import type { Employee, EmployeeHired, HrisSource } from '#lib/domain/events/employee-events';
import { changeFacts, employeeOf, hireFacts, hireVerdict, mergeEvent, type PersonFacts } from '#lib/domain/ordering/merge';
import type { ApprovalLookup, ApprovalSummary } from '#lib/domain/outcomes/ports';
import type { ScheduleChange, ScheduleSpec, Schedules } from '#lib/domain/schedules/schedules';
import type { EmployeeDirectory, HireFacts, UpsertResult } from '#lib/domain/joiner/ports';
import type { GrantStore } from '#lib/domain/joiner/ports';
import type { NewGrantItem } from '#lib/domain/grants/item';
import { FINISHED_STATUSES, type Finish, type MarkResult, type RequestStatusStore } from '#lib/domain/outcomes/ports';
import { type RequestRepository } from '#lib/domain/requests/ports';
import { requestRecordSchema, type RequestRecord } from '#lib/domain/requests/request-record';

/** In-memory stand-ins for the joiner's ports, keeping the conditions the DynamoDB adapters write. */

export class FakeClock {
  constructor(public current = new Date('2026-03-02T08:00:00.000Z')) {}
  now = (): Date => new Date(this.current);
  set(iso: string): void {
    this.current = new Date(iso);
  }
}

/** A real hash chain in memory: same validation, chaining and idempotency-key rule as the store. */
export class MemoryAudit implements AuditStore {
  readonly entries: AuditEntry[] = [];
  constructor(private readonly clock: FakeClock) {}

  append(input: AuditDraft): Promise<AuditEntry> {
    const draft = validateDraft(input);
    const chain = this.entries.filter((entry) => entry.subject === draft.subject);
    const existing = draft.idempotencyKey === undefined ? undefined : chain.find((entry) => entry.idempotencyKey === draft.idempotencyKey);
    if (existing) return Promise.resolve(existing);
    const entry = chainEntry(chain.at(-1), { ...draft, at: this.clock.now().toISOString() });
    this.entries.push(entry);
    return Promise.resolve(entry);
  }

  listBySubject(subject: string): Promise<AuditEntry[]> {
    return Promise.resolve(this.entries.filter((entry) => entry.subject === subject));
  }

  kinds(subject: string): string[] {
    return this.entries.filter((entry) => entry.subject === subject).map((entry) => entry.kind);
  }
}

export class MemoryRequests implements RequestRepository {
  readonly items = new Map<string, RequestRecord>();
  puts = 0;

  get(requestId: string): Promise<RequestRecord | undefined> {
    const found = this.items.get(requestId);
    return Promise.resolve(found ? structuredClone(found) : undefined);
  }

  put(record: RequestRecord): Promise<void> {
    const item = requestRecordSchema.parse(record);
    const existing = this.items.get(item.requestId);
    if (existing && existing.executionId !== item.executionId) return Promise.reject(new ConflictError(`request ${item.requestId} taken`));
    this.puts += 1;
    this.items.set(item.requestId, structuredClone(item));
    return Promise.resolve();
  }
}

export class MemoryEmployees implements EmployeeDirectory {
  readonly upserts: HireFacts[] = [];
  readonly sources = new Map<string, HrisSource>();
  /** Each person's merged record (domain/ordering/merge.ts), as the employees adapter keeps it. */
  readonly records = new Map<string, { facts: PersonFacts; statusBy?: string; since?: string }>();

  upsertHire(facts: HireFacts): Promise<UpsertResult> {
    this.upserts.push(structuredClone(facts));
    const id = facts.employee.employeeId;
    const before = this.records.get(id) ?? { facts: {} };
    const result = mergeEvent(before.facts, hireFacts(facts.employee, facts.occurredAt));
    const retry = before.statusBy === facts.requestId && result.merged.status?.at === new Date(facts.occurredAt).toISOString();
    const verdict = hireVerdict(result, retry);
    if (!verdict.act) return Promise.resolve({ stale: verdict.why, appliedAt: result.merged.status?.at });
    this.sources.set(id, facts.source);
    const since = before.facts.status?.value === 'active' && before.since ? before.since : result.merged.status!.at;
    this.records.set(id, { facts: result.merged, statusBy: result.applied.includes('status') ? facts.requestId : before.statusBy, since });
    return Promise.resolve({ written: true, generation: since, employee: employeeOf(id, result.merged)! });
  }

  /** A change delivered before its hire: merged in, nothing else (the mover keeps it for the hire). */
  change(employee: Employee, occurredAt: string): void {
    const before = this.records.get(employee.employeeId) ?? { facts: {} };
    this.records.set(employee.employeeId, { ...before, facts: mergeEvent(before.facts, changeFacts(employee, occurredAt)).merged });
  }

  sourceOf(employeeId: string): Promise<HrisSource> {
    const source = this.sources.get(employeeId);
    return source ? Promise.resolve(source) : Promise.reject(new Error(`no employee ${employeeId}`));
  }
}

export class MemoryGrants implements GrantStore {
  readonly items = new Map<string, NewGrantItem>();
  putIfAbsent(item: NewGrantItem): Promise<boolean> {
    const key = `${item.employeeId}/${item.grantKey}`;
    if (this.items.has(key)) return Promise.resolve(false);
    this.items.set(key, structuredClone(item));
    return Promise.resolve(true);
  }
}

/** Request statuses with the adapter's rule: only the owning execution marks, never twice. */
export class MemoryRequestStatus implements RequestStatusStore {
  readonly records = new Map<string, { executionId: string; status?: string; errorName?: string }>();
  markFinished(finish: Finish): Promise<MarkResult> {
    const record = this.records.get(finish.requestId);
    if (!record) return Promise.resolve('no-record');
    if (record.executionId !== finish.executionId) return Promise.resolve('not-owner');
    if (record.status !== undefined && (FINISHED_STATUSES as readonly string[]).includes(record.status)) {
      return Promise.resolve(record.status === finish.status ? 'already-marked' : 'kept');
    }
    this.records.set(finish.requestId, { ...record, status: finish.status, errorName: finish.errorName });
    return Promise.resolve('marked');
  }
}

export class StaticApprovals implements ApprovalLookup {
  constructor(private readonly summary?: ApprovalSummary) {}
  latest(): Promise<ApprovalSummary | undefined> {
    return Promise.resolve(this.summary);
  }
}

export class MemorySchedules implements Schedules {
  readonly specs = new Map<string, ScheduleSpec>();
  readonly changes: ScheduleChange[] = [];
  ensure(spec: ScheduleSpec): Promise<ScheduleChange> {
    const current = this.specs.get(spec.name);
    const change: ScheduleChange = !current ? 'created' : JSON.stringify(current) === JSON.stringify(spec) ? 'unchanged' : 'updated';
    this.specs.set(spec.name, { ...spec });
    this.changes.push(change);
    return Promise.resolve(change);
  }
}

// ---- factories --------------------------------------------------------------------------------

type EmployeeOverrides = Partial<EmployeeHired['employee']>;

/** A hire as the HRIS adapters normalise it; `employee` fields override the defaults. */
export function hireEvent(employee: EmployeeOverrides = {}, envelope: Partial<Omit<EmployeeHired, 'employee'>> = {}): EmployeeHired {
  return {
    type: 'employee.hired',
    deliveryId: 'dlv-0001',
    source: 'bamboohr',
    occurredAt: '2026-02-20T09:30:00+01:00',
    ...envelope,
    employee: {
      employeeId: 'E-1001',
      email: 'alex.newstarter@example.com',
      firstName: 'Alex',
      lastName: 'Newstarter',
      role: 'sales',
      managerId: 'E-0042',
      managerEmail: 'pat.manager@example.com',
      employmentType: 'employee',
      startDate: '2026-03-09',
      ...employee,
    },
  };
}

export const EXECUTION_NAME = 'dlv-0001';
export const EXECUTION_ID = 'arn:aws:states:us-east-1:000000000000:execution:gatehouse-joiner:dlv-0001';
export const executionIds = { executionId: EXECUTION_ID, executionName: EXECUTION_NAME };

/** Drops keys whose value is undefined, as the JSON that Step Functions passes on would. */
export const asJson = <T>(value: T): unknown => JSON.parse(JSON.stringify(value)) as unknown;

import type { Catalogue } from '../catalogue/schema.ts';
import { NotFoundError, ValidationError } from '../shared/errors.ts';
import type { ConsoleReads, PageOf, StoredEmployee } from './ports.ts';
import { findingsOf, holdingsOf, timelineOf, type FindingView, type Holding, type TimelineRow } from './views.ts';

/** The operators' People page: search, one person's holdings and timeline, reconciliation findings. */

export interface OperationsDeps {
  catalogue: Catalogue;
  reads: ConsoleReads;
  now: () => Date;
}

export interface PersonRow {
  employeeId: string;
  name: string;
  email: string;
  role: string;
  status: string;
}

const PAGE = 50;
/** At most this many store pages are read to fill one page of matches (a bounded answer time). */
const MAX_READS = 10;

const row = (e: StoredEmployee): PersonRow => ({ employeeId: e.employeeId, name: e.displayName ?? e.employeeId, email: e.email, role: e.role, status: e.status });

/** People whose id, name or e-mail contains `q` (case-insensitive), `status` ones, a page at a time. */
export async function searchPeople(deps: OperationsDeps, q: string, status: 'active' | 'left', nextToken: string | undefined): Promise<PageOf<PersonRow>> {
  if (q.length > 254) throw new ValidationError('q: at most 254 characters');
  const wanted = q.trim().toLowerCase();
  const items: PersonRow[] = [];
  let token = nextToken;
  for (let reads = 0; reads < MAX_READS && items.length < PAGE; reads += 1) {
    const page = await deps.reads.employeesByStatus(status, PAGE, token);
    items.push(...page.items.filter((e) => !wanted || e.employeeId.toLowerCase().includes(wanted) || (e.displayName ?? '').toLowerCase().includes(wanted) || e.email.toLowerCase().includes(wanted)).map(row));
    token = page.nextToken ?? undefined;
    if (!token) break;
  }
  return { items, nextToken: token ?? null };
}

export interface PersonDetail {
  person: PersonRow;
  holdings: Holding[];
  timeline: TimelineRow[];
  nextToken: string | null;
}

export async function personDetail(deps: OperationsDeps, employeeId: string, nextToken: string | undefined): Promise<PersonDetail> {
  const person = await deps.reads.employee(employeeId);
  if (!person) throw new NotFoundError(`no employee ${employeeId}`);
  const [grants, audit] = await Promise.all([deps.reads.grantsOf(employeeId), deps.reads.auditOf(employeeId, 100, nextToken)]);
  return { person: row(person), holdings: holdingsOf(deps.catalogue, grants, deps.now()), timeline: timelineOf(audit.items), nextToken: audit.nextToken };
}

/** The findings reconciliation recorded (newest first). */
export async function findings(deps: OperationsDeps): Promise<{ items: FindingView[]; nextToken: null }> {
  return { items: findingsOf(await deps.reads.auditByActor('system:reconcile', 200)), nextToken: null };
}

/**
 * The JSON the console's API routes answer (functions/lib/tasks/console-*.ts hold their schemas).
 * Shapes the domain already declares come from functions/lib/domain/console through the
 * `#console/*` path (tsconfig.json; type-only, so nothing of it reaches the bundle).
 */
import type { Holding, RequestView } from '#console/views.ts';
import type { CampaignRow } from '#reviews/operate.ts';
import type { RecurringRow } from '#reviews/recurring.ts';
import type { QueueEntry } from '#reviews/queue.ts';

export interface Me {
  email: string | null;
  subject: string;
  groups: string[];
  employeeId: string | null;
  name: string | null;
  operator: boolean;
  auditor: boolean;
}

export interface CatalogueItem {
  id: string;
  kind: 'group' | 'workstation' | 'account-assignment';
  name: string;
  description: string;
  risk: 'low' | 'high';
  owner: string;
  /** ISO-8601; null: cannot be requested for a time. */
  maxDuration: string | null;
}

export interface ApproverPreview {
  entitlementId: string;
  decision: 'auto-approved' | 'needs-approval';
  reason: string;
  approvers: { step: number; email: string; reason: string }[];
}

export interface MyAccess {
  holdings: Holding[];
  requests: RequestView[];
  nextToken: string | null;
}

export interface Page<T> {
  items: T[];
  nextToken: string | null;
}

export interface Person {
  employeeId: string;
  name: string;
  email: string;
  role: string;
  status: string;
}

export interface PersonDetail {
  person: Person;
  holdings: Holding[];
  timeline: { at: string; event: string; actor: string; detail: string }[];
}

export interface Finding {
  findingId: string;
  kind: string;
  subject: string;
  state: string;
  foundAt: string;
}

export interface Execution {
  workflow: string;
  name: string;
  status: string;
  startedAt: string;
  stoppedAt: string | null;
  failedStep: string | null;
  error: string | null;
}

export interface Workflows {
  items: Execution[];
  perDay: { day: string; workflow: string; succeeded: number; failed: number; running: number }[];
}

export interface AuditTable {
  columns: string[];
  rows: (string | number)[][];
}

export interface ChainStatus {
  subjects: number;
  entries: number;
  broken: { subject: string; problem: string }[];
}

/** GET /api/reviews: one item waiting for my decision. */
export type ReviewQueueEntry = QueueEntry;

export interface DecisionResults {
  decided: number;
  results: ({ itemId: string; outcome: 'decided'; final: boolean; remediation?: 'removed' | 'kept' | 'manual' | 'not-revoked' | 'pending' } | { itemId: string; outcome: 'refused'; why: string; message: string })[];
}

/** GET /api/review-campaigns: recent campaigns with progress. */
export type { CampaignRow, RecurringRow };

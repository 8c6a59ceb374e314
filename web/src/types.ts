/** The JSON the console's API routes answer (functions/lib/tasks/console-*.ts hold their schemas). */
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

export interface Holding {
  entitlementId: string;
  name: string;
  source: 'birthright' | 'role' | 'time-bound';
  since: string | null;
  expiresAt: string | null;
  requestId: string | null;
}

export interface MyRequest {
  requestId: string;
  entitlementIds: string[];
  duration: string;
  justification: string;
  status: string;
  waitingFor: string[];
  createdAt: string;
  expiresAt: string | null;
}

export interface MyAccess {
  holdings: Holding[];
  requests: MyRequest[];
  nextToken: string | null;
}

export interface PendingApproval {
  approvalId: string;
  employee: { employeeId: string; name: string; email: string };
  role: string | null;
  kind: string;
  entitlements: { id: string; risk: string; description: string }[];
  why: string;
  step: number;
  steps: number;
  justification: string | null;
  duration: string | null;
  requestedBy: string | null;
  expiresAt: string;
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

/** GET /api/reviews: one item waiting for my decision (functions/lib/domain/reviews/queue.ts). */
export interface ReviewQueueEntry {
  campaignId: string;
  campaignName: string;
  dueAt: string;
  itemId: string;
  employeeId: string;
  personName: string;
  personEmail: string;
  entitlementId: string;
  description: string;
  since: string | null;
  source: string;
  risk: 'low' | 'high';
  stage: number;
  stages: number;
  escalated: boolean;
}

export interface DecisionResults {
  decided: number;
  results: ({ itemId: string; outcome: 'decided'; final: boolean; remediation?: 'removed' | 'kept' | 'manual' | 'not-revoked' | 'pending' } | { itemId: string; outcome: 'refused'; why: string; message: string })[];
}

/** GET /api/review-campaigns: recent campaigns with progress (functions/lib/domain/reviews/operate.ts). */
export interface CampaignRow {
  campaignId: string;
  name: string | null;
  state: 'taking snapshot' | 'open' | 'closing' | 'closed' | 'failed';
  run: string;
  startedAt: string;
  dueAt: string | null;
  deadlineAt: string | null;
  itemCount: number | null;
  counts: { pending: number; decided: number; remediated: number; keep: number; revoke: number; flag: number; defaulted: number } | null;
}

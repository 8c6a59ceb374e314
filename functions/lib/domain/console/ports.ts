/**
 * What the console's read routes consume. Plain records as stored (each adapter parses what it
 * reads); the use cases in this folder shape them for the pages. Pages of results carry an opaque
 * `nextToken` (the store's last key, encoded), never a number of items skipped.
 */
export interface PageOf<T> {
  items: T[];
  nextToken: string | null;
}

export interface StoredGrant {
  entitlementId: string;
  source: string;
  status: string;
  grantedAt?: string;
  expiresAt?: string;
  requestId?: string;
}

export interface StoredEmployee {
  employeeId: string;
  email: string;
  /** `<first> <last>` from the HRIS; absent on items written before names were kept. */
  displayName?: string;
  role: string;
  status: string;
  employmentType?: string;
  startDate?: string;
  managerEmail?: string;
  managerId?: string;
}

export interface StoredRequest {
  requestId: string;
  kind: string;
  employeeId: string;
  employeeDisplayName?: string;
  role?: string;
  roleDisplayName?: string;
  entitlements: { id: string; risk?: string; description?: string }[];
  decision: { decision: string; reason?: string; chain?: unknown[] };
  requester?: { email: string };
  duration?: string | number;
  justification?: string;
  status?: string;
  createdAt: string;
  expiresAt?: string;
  grantedAt?: string;
  endedAt?: string;
  /** Why a time-bound request ended: `expired` (its expiry schedule fired), or the revoke's reason. */
  endReason?: string;
}

export interface StoredApproval {
  approvalId: string;
  requestId: string;
  employeeId: string;
  step: number;
  status: string;
  expiresAt: string;
  createdAt: string;
  approver: { email: string; reason?: string };
}

export interface StoredAuditEntry {
  subject: string;
  seq: number;
  kind: string;
  actor: string;
  at: string;
  reason: string;
  entitlementId?: string;
  requestId: string;
  detail?: Record<string, unknown>;
}

export interface ConsoleReads {
  employeeByEmail(email: string): Promise<StoredEmployee | undefined>;
  employee(employeeId: string): Promise<StoredEmployee | undefined>;
  employeesByStatus(status: 'active' | 'left', limit: number, nextToken: string | undefined): Promise<PageOf<StoredEmployee>>;
  grantsOf(employeeId: string): Promise<StoredGrant[]>;
  requestsOf(employeeId: string, limit: number, nextToken: string | undefined): Promise<PageOf<StoredRequest>>;
  request(requestId: string): Promise<StoredRequest | undefined>;
  approvalsOfRequest(requestId: string): Promise<StoredApproval[]>;
  approvalsFor(approverEmail: string, limit: number): Promise<StoredApproval[]>;
  auditOf(subject: string, limit: number, nextToken: string | undefined): Promise<PageOf<StoredAuditEntry>>;
  auditByActor(actor: string, limit: number): Promise<StoredAuditEntry[]>;
}

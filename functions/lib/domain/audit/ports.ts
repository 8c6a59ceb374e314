import type { AuditDraft, AuditEntry } from './entry.ts';

/** The audit trail every use case appends to. Implemented in: dynamodb/audit.ts. */

export interface AuditStore {
  append(draft: AuditDraft): Promise<AuditEntry>;
  /** Every entry of the subject, oldest first (consistent read). */
  listBySubject(subject: string): Promise<AuditEntry[]>;
}

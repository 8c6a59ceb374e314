import type { RequestRecord } from '../requests/request-record.ts';
import type { Approval } from './approval.ts';

/** Wording shared by the approval e-mail and the approval page. */

export { formatTime } from '../shared/dates.ts';

export const subjectName = (request: RequestRecord): string => `${request.employeeDisplayName} (${request.employeeId})`;

export { roleName } from '../requests/words.ts';

const KIND_WORDS: Record<RequestRecord['kind'], string> = {
  joiner: 'new joiner access',
  mover: 'access for a role change',
  'time-bound': 'time-bound (just-in-time) access',
  extension: 'an extension of time-bound access',
};
export const requestKindWords = (request: RequestRecord): string => KIND_WORDS[request.kind];

/** "Step 1 of 2" when the chain is known, else "Step 1". */
export function stepLabel(approval: Approval, request: RequestRecord): string {
  const total = request.decision.decision === 'needs-approval' ? request.decision.chain.length : undefined;
  return total && total > approval.step ? `Step ${approval.step + 1} of ${total}` : `Step ${approval.step + 1}`;
}

/** In what capacity the approver is asked. */
export function approverCapacity(approval: Approval): string {
  const { approver } = approval;
  if (approver.kind === 'manager') return 'as the employee’s manager';
  return approver.entitlementIds.length > 0 ? `as owner of ${approver.entitlementIds.join(', ')}` : 'as an entitlement owner';
}


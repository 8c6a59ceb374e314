import type { RequestRecord } from './request-record.ts';

/** How mails and pages name what a request asks for (one home: approval mail, outcomes, cancellations). */

export const roleName = (request: Pick<RequestRecord, 'role' | 'roleDisplayName'>): string =>
  request.roleDisplayName ? `${request.roleDisplayName} (${request.role})` : request.role;

/** "Platform Engineer (platform-engineer)", or "time-bound group:ProdAdmin" for a time-bound request. */
export const askedFor = (request: Pick<RequestRecord, 'kind' | 'role' | 'roleDisplayName' | 'entitlements'>): string =>
  request.kind === 'time-bound' ? `time-bound ${request.entitlements.map((e) => e.id).join(', ')}` : roleName(request);

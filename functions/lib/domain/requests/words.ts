import { formatTime } from '../shared/dates.ts';
import { durationInWords } from '../shared/duration-words.ts';
import type { RequestRecord } from './request-record.ts';

/** How mails and pages name what a request asks for (one home: approval mail, outcomes, cancellations). */

export const roleName = (request: Pick<RequestRecord, 'role' | 'roleDisplayName'>): string =>
  request.roleDisplayName ? `${request.roleDisplayName} (${request.role})` : request.role;

/** "Platform Engineer (platform-engineer)", "time-bound group:ProdAdmin", or "extension of time-bound group:ProdAdmin". */
export const askedFor = (request: Pick<RequestRecord, 'kind' | 'role' | 'roleDisplayName' | 'entitlements'>): string => {
  const ids = request.entitlements.map((e) => e.id).join(', ');
  if (request.kind === 'time-bound') return `time-bound ${ids}`;
  return request.kind === 'extension' ? `extension of time-bound ${ids}` : roleName(request);
};

/**
 * The rows an approver reads about an extension (the approval mail, page and Slack message): the
 * end now, the end asked for, and the reason, in words. None for any other request.
 */
export function extensionRows(request: Pick<RequestRecord, 'extension' | 'justification'>): [string, string][] {
  const { extension } = request;
  if (!extension) return [];
  return [
    ['Extends', `request ${extension.grantRequestId}`],
    ['Ends now', formatTime(extension.currentEnd)],
    ['Would end', `${formatTime(extension.newEnd)} (${durationInWords(extension.by)} later)`],
    ...(request.justification ? [['Reason', request.justification] as [string, string]] : []),
  ];
}

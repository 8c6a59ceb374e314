import type { Notification } from '../notifications/kinds.ts';
import { personOrId, type PeopleDirectory } from '../notifications/people.ts';
import type { TimeBoundRequests } from './ports.ts';

/**
 * Telling the holder and the requester about time-bound access (issue #18): granted (until
 * when), and ended (expired, or revoked early: by whom and why). Each once per request.
 */
export interface TimeBoundNotices {
  notify(notification: Notification): Promise<{ status: string }>;
  people: PeopleDirectory;
  requests: Pick<TimeBoundRequests, 'get'>;
}

async function about(notices: TimeBoundNotices, employeeId: string, requestId: string) {
  const [found, request] = await Promise.all([notices.people.person(employeeId), notices.requests.get(requestId)]);
  const requesterEmail = request?.requester?.email;
  return { person: personOrId(found, employeeId), requestId, ...(requesterEmail?.includes('@') ? { requesterEmail } : {}) };
}

export async function tellGranted(notices: TimeBoundNotices, facts: { employeeId: string; requestId: string; granted: string[]; endsAt: string }): Promise<string> {
  const base = await about(notices, facts.employeeId, facts.requestId);
  return (await notices.notify({ kind: 'time-bound-granted', ...base, granted: facts.granted.map((id) => ({ id })), endsAt: facts.endsAt })).status;
}

export async function tellEnded(
  notices: TimeBoundNotices,
  facts: { employeeId: string; requestId: string; removed: string[]; reason: 'expired' | 'revoked'; revokedBy?: string | undefined; note?: string | undefined },
): Promise<string> {
  const base = await about(notices, facts.employeeId, facts.requestId);
  const removed = facts.removed.map((id) => ({ id }));
  if (facts.reason === 'expired') return (await notices.notify({ kind: 'access-expired', ...base, removed })).status;
  return (
    await notices.notify({ kind: 'access-revoked', ...base, removed, revokedBy: facts.revokedBy ?? 'an operator', reason: facts.note ?? 'no reason was given' })
  ).status;
}

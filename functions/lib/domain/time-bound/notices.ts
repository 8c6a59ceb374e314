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

/** What the reminder before the end of a time-bound grant did: told, or why not (the request is not granted any more). */
export type EndingSoonResult = { reminded: true; status: string } | { reminded: false; why: string };

/**
 * Remind Access Ending (the reminder schedule fired): the holder and the requester are told the
 * grant ends soon, once; a request revoked, expired or unknown by then is told nothing.
 */
export async function tellEndingSoon(notices: TimeBoundNotices, facts: { employeeId: string; requestId: string; endsAt?: string | undefined }): Promise<EndingSoonResult> {
  const request = await notices.requests.get(facts.requestId);
  if (!request || request.employeeId !== facts.employeeId) return { reminded: false, why: 'unknown request' };
  if (request.status !== 'granted' || !request.expiresAt) return { reminded: false, why: `request is ${request.status ?? 'not granted'}` };
  // A reminder set for an end an extension has moved (issue #17): the moved reminder tells, this one does not.
  if (facts.endsAt && Date.parse(facts.endsAt) !== Date.parse(request.expiresAt)) return { reminded: false, why: `extended: now ends at ${request.expiresAt}` };
  const base = await about(notices, facts.employeeId, facts.requestId);
  const granted = request.entitlements.map((e) => ({ id: e.id }));
  return { reminded: true, status: (await notices.notify({ kind: 'access-ending-soon', ...base, granted, endsAt: request.expiresAt })).status };
}

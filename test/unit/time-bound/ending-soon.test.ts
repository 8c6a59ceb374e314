import { describe, expect, it } from 'vitest';
import type { Notification } from '#lib/domain/notifications/kinds';
import { tellEndingSoon } from '#lib/domain/time-bound/notices';
import { parseEndingSoonLead, reminderAt } from '#lib/domain/time-bound/expiry';
import type { TimeBoundRequestView } from '#lib/domain/time-bound/ports';
import { requestView } from './fakes.ts';

/** Remind Access Ending: the holder and the requester hear the grant ends soon, once; a request no longer granted hears nothing. */
const view = (overrides: Partial<TimeBoundRequestView> = {}): TimeBoundRequestView =>
  requestView('granted', { requestId: 'ar-1', expiresAt: '2026-03-02T09:00:00Z', ...overrides });

function notices(found: TimeBoundRequestView | undefined) {
  const sent: Notification[] = [];
  return {
    sent,
    deps: {
      notify: (n: Notification) => (sent.push(n), Promise.resolve({ status: 'sent' })),
      people: { person: () => Promise.resolve({ employeeId: 'E-SALES', displayName: 'Sam Sales', email: 'sam@example.com' }) },
      requests: { get: () => Promise.resolve(found) },
    },
  };
}

describe('tellEndingSoon', () => {
  it('tells the holder and the requester what ends and when', async () => {
    const n = notices(view());

    expect(await tellEndingSoon(n.deps, { employeeId: 'E-SALES', requestId: 'ar-1' })).toEqual({ reminded: true, status: 'sent' });
    expect(n.sent).toEqual([
      {
        kind: 'access-ending-soon',
        person: { employeeId: 'E-SALES', displayName: 'Sam Sales', email: 'sam@example.com' },
        requestId: 'ar-1',
        requesterEmail: 'e-eng@example.com',
        granted: [{ id: 'group:ProdReadOnly' }],
        endsAt: '2026-03-02T09:00:00Z',
      },
    ]);
  });

  it.each([
    ['revoked early', view({ status: 'ended' }), 'request is ended'],
    ['unknown', undefined, 'unknown request'],
    ['about someone else', view({ employeeId: 'E-OTHER' }), 'unknown request'],
  ])('tells nobody about a request %s', async (_case, found, why) => {
    const n = notices(found);
    expect(await tellEndingSoon(n.deps, { employeeId: 'E-SALES', requestId: 'ar-1' })).toEqual({ reminded: false, why });
    expect(n.sent).toEqual([]);
  });
});

describe('the reminder lead (context endingSoonLead)', () => {
  it('reads an ISO-8601 duration, PT15M when unset', () => {
    expect([parseEndingSoonLead(undefined), parseEndingSoonLead(''), parseEndingSoonLead('PT1H'), parseEndingSoonLead('P1DT2H'), parseEndingSoonLead('P7D')]).toEqual([15, 15, 60, 1560, 10080]);
  });

  it.each([
    ['15', /endingSoonLead: "15" is not an ISO-8601 duration in W\/D\/H\/M, e.g. PT15M/],
    ['P1M', /endingSoonLead: "P1M" is not an ISO-8601 duration/],
    ['PT0M', /endingSoonLead: PT0M is 0 minutes; it must be from PT1M to P7D \(1-10080 minutes\)/],
    ['P8D', /endingSoonLead: P8D is 11520 minutes; it must be from PT1M to P7D/],
  ])('refuses %s naming the setting', (value, message) => {
    expect(() => parseEndingSoonLead(value)).toThrow(message);
  });

  it('moves the reminder: an hour before a four-hour grant ends; none for a grant shorter than twice the lead', () => {
    const now = new Date('2026-03-02T08:00:00Z');
    expect(reminderAt('2026-03-02T12:00:00Z', now, parseEndingSoonLead('PT1H'))).toBe('2026-03-02T11:00:00.000Z');
    expect(reminderAt('2026-03-02T09:59:00Z', now, parseEndingSoonLead('PT1H'))).toBeUndefined();
  });
});

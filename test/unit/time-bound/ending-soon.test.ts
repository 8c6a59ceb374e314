import { describe, expect, it } from 'vitest';
import type { Notification } from '#lib/domain/notifications/kinds';
import { tellEndingSoon } from '#lib/domain/time-bound/notices';
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

import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { ForbiddenError, UnauthorizedError } from '#lib/domain/shared/errors';
import { callerOf, groupsClaim, requireEmail, requireGroup } from '#lib/http/caller';

/** An HTTP API event whose requestContext carries what the JWT authorizer passed on. */
function eventWith(claims: Record<string, unknown> | undefined): APIGatewayProxyEventV2 {
  const requestContext = { requestId: 'r1', ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}) };
  return { requestContext } as unknown as APIGatewayProxyEventV2;
}

describe('groupsClaim', () => {
  it('reads arrays, API Gateway\'s [a b] strings and comma lists', () => {
    expect(groupsClaim(['ops', '', 7, 'staff'])).toEqual(['ops', 'staff']);
    expect(groupsClaim('[gatehouse-operators staff]')).toEqual(['gatehouse-operators', 'staff']);
    expect(groupsClaim('[]')).toEqual([]);
    expect(groupsClaim('ops,staff')).toEqual(['ops', 'staff']);
    expect(groupsClaim(undefined)).toEqual([]);
    expect(groupsClaim(42)).toEqual([]);
  });
});

describe('callerOf', () => {
  it('takes subject, lower-cased verified e-mail and groups from the claims', () => {
    const caller = callerOf(eventWith({ sub: 'u-1', email: 'Ops@Example.com', email_verified: 'true', groups: '[gatehouse-operators]' }));
    expect(caller).toEqual({ subject: 'u-1', email: 'ops@example.com', groups: ['gatehouse-operators'] });
  });

  it('drops an e-mail the provider says is not verified (string or boolean)', () => {
    expect(callerOf(eventWith({ sub: 'u-1', email: 'a@example.com', email_verified: 'false' }))).toEqual({ subject: 'u-1', groups: [] });
    expect(callerOf(eventWith({ sub: 'u-1', email: 'a@example.com', email_verified: false }))).toEqual({ subject: 'u-1', groups: [] });
  });

  it('keeps an e-mail when the provider sends no email_verified claim', () => {
    expect(callerOf(eventWith({ sub: 'u-1', email: 'a@example.com' })).email).toBe('a@example.com');
  });

  it('is UnauthorizedError without an authorizer context or without a subject', () => {
    expect(() => callerOf(eventWith(undefined))).toThrow(UnauthorizedError);
    expect(() => callerOf(eventWith({ email: 'a@example.com' }))).toThrow(UnauthorizedError);
    expect(() => callerOf(eventWith({ sub: '' }))).toThrow(UnauthorizedError);
  });
});

describe('requireGroup / requireEmail', () => {
  it('passes members and refuses everyone else with ForbiddenError naming the group', () => {
    expect(() => requireGroup({ subject: 's', groups: ['gatehouse-operators'] }, 'gatehouse-operators')).not.toThrow();
    expect(() => requireGroup({ subject: 's', groups: ['gatehouse-operators-x', 'staff'] }, 'gatehouse-operators')).toThrow(
      new ForbiddenError('caller is not in the gatehouse-operators group'),
    );
  });

  it('returns the verified e-mail or refuses', () => {
    expect(requireEmail({ subject: 's', email: 'a@example.com', groups: [] })).toBe('a@example.com');
    expect(() => requireEmail({ subject: 's', groups: [] })).toThrow(ForbiddenError);
  });
});

import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { ForbiddenError, UnauthorizedError } from '#lib/domain/shared/errors';
import { callerOf, requireEmail, requireGroup } from '#lib/http/caller';
import { flattenClaim } from '../../../local/jwt-authorizer.ts';

/** An HTTP API event whose requestContext carries what the JWT authorizer passed on. */
function eventWith(claims: Record<string, unknown> | undefined, headers: Record<string, string> = {}): APIGatewayProxyEventV2 {
  const requestContext = { requestId: 'r1', ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}) };
  return { requestContext, headers } as unknown as APIGatewayProxyEventV2;
}

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
/** A compact JWS (the authorizer verified its signature before the function runs; it is not checked here). */
const tokenOf = (payload: Record<string, unknown>): string => `${b64({ alg: 'RS256', kid: 'k1' })}.${b64(payload)}.c2lnbmF0dXJl`;

/** The event API Gateway's HTTP API builds for a token: claims flattened to strings, the token in the header. */
function awsEventFor(payload: Record<string, unknown>): APIGatewayProxyEventV2 {
  const claims = Object.fromEntries(Object.entries(payload).map(([name, value]) => [name, flattenClaim(value)]));
  return eventWith(claims, { authorization: `Bearer ${tokenOf(payload)}` });
}

const IDS = { sub: 'u-1', iat: 1_780_000_000, exp: 1_780_003_600 };

describe('groups claim (issue #11): no group name forges another', () => {
  it.each([
    ['a comma inside one name', ['team-a,gatehouse-operators']],
    ['a space inside one name', ['Not gatehouse-operators']],
    ['brackets and spaces', ['[x', 'y gatehouse-operators]']],
    ['a longer name', ['gatehouse-operators-x']],
  ])('%s: not an operator in the AWS shape nor the array shape', (_name, groups) => {
    const aws = callerOf(awsEventFor({ ...IDS, groups }));
    const local = callerOf(eventWith({ ...IDS, groups }));

    expect(aws.groups).toEqual(groups);
    expect(local.groups).toEqual(groups);
    expect(() => requireGroup(aws, 'gatehouse-operators')).toThrow(ForbiddenError);
    expect(() => requireGroup(local, 'gatehouse-operators')).toThrow(ForbiddenError);
  });

  it('reads a real member in both shapes', () => {
    const groups = ['staff', 'gatehouse-operators'];

    expect(callerOf(awsEventFor({ ...IDS, groups })).groups).toEqual(groups);
    expect(callerOf(eventWith({ ...IDS, groups })).groups).toEqual(groups);
  });

  it('fails closed on a flattened claim whose token is missing or is another token', () => {
    const flattened = { sub: 'u-1', iat: String(IDS.iat), exp: String(IDS.exp), groups: '[staff gatehouse-operators]' };
    const other = tokenOf({ ...IDS, iat: IDS.iat + 1, groups: ['gatehouse-operators'] });

    expect(callerOf(eventWith(flattened)).groups).toEqual([]);
    expect(callerOf(eventWith(flattened, { authorization: `Bearer ${other}` })).groups).toEqual([]);
    expect(callerOf(eventWith(flattened, { authorization: 'Bearer not-a-token' })).groups).toEqual([]);
  });

  it('takes a single-valued string claim as one group, whole', () => {
    expect(callerOf(eventWith({ sub: 'u-1', groups: 'team-a,gatehouse-operators' })).groups).toEqual(['team-a,gatehouse-operators']);
  });
});

describe('callerOf', () => {
  it('takes subject, lower-cased verified e-mail and groups from the claims', () => {
    const caller = callerOf(awsEventFor({ ...IDS, email: 'Ops@Example.com', email_verified: true, groups: ['gatehouse-operators'] }));
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

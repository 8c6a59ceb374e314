import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../../tools/cli/errors.ts';
import { requestLine, runRequestsCli, selectRequests } from '../../../tools/requests-cli.ts';

/** `gatehouse requests` filters and orders what the table holds; `revoke` posts the reason and says what happens next. */
const item = (requestId: string, createdAt: string, extra: Record<string, unknown> = {}) => ({ requestId, createdAt, kind: 'time-bound', employeeId: 'E-1', ...extra });
const ITEMS = [
  item('ar-old', '2026-03-01T08:00:00Z', { status: 'ended', requester: { email: 'Ann@example.com' } }),
  item('ar-new', '2026-03-03T08:00:00Z', { status: 'granted', requester: { email: 'bob@example.com' } }),
  item('generic-d1', '2026-03-02T08:00:00Z', { kind: 'joiner', employeeId: 'E-2' }),
];

describe('requests', () => {
  it('lists newest first; where the table records no status, the workflow\'s outcome', () => {
    expect(selectRequests(ITEMS, { last: 20 }).map((r) => requestLine(r, r.kind === 'joiner' ? 'joiner: provisioned' : 'never used'))).toEqual([
      '2026-03-03T08:00:00Z  ar-new  time-bound  E-1  granted  by bob@example.com',
      '2026-03-02T08:00:00Z  generic-d1  joiner  E-2  joiner: provisioned',
      '2026-03-01T08:00:00Z  ar-old  time-bound  E-1  ended  by Ann@example.com',
    ]);
    expect(requestLine(item('x', '2026-03-04T00:00:00Z'), undefined)).toBe('2026-03-04T00:00:00Z  x  time-bound  E-1  no execution found');
  });

  it.each([
    [{ mine: 'ann@example.com' }, ['ar-old']],
    [{ employee: 'E-2' }, ['generic-d1']],
    [{ kind: 'time-bound', status: 'granted' }, ['ar-new']],
    [{ status: 'ended' }, ['ar-old']],
    [{ last: 1 }, ['ar-new']],
  ])('filters by %j', (filters, ids) => {
    expect(selectRequests(ITEMS, { last: 20, ...filters }).map((r) => r.requestId)).toEqual(ids);
  });
});

/** Runs a command against an API that answers `status` and `body`; what it called and printed. */
function runAgainst(command: 'revoke' | 'extend' | 'withdraw', argv: string[], status: number, body: Record<string, unknown>) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch = ((url: string, init: RequestInit) => {
    calls.push({ url, init });
    return Promise.resolve(new Response(JSON.stringify(body), { status }));
  }) as unknown as typeof globalThis.fetch;
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (t) => void out.push(t), stderr: (t) => void err.push(t) };
  const deps = { env: { GATEHOUSE_API_URL: 'https://api.example.com/', GATEHOUSE_TOKEN: 'tok' }, cwd: '/nonexistent', fetch };
  return { calls, out, err, code: runRequestsCli(command, argv, io, deps) };
}

describe('revoke', () => {
  const run = (status: number, body: Record<string, unknown>) => runAgainst('revoke', ['ar-1', '--reason', ' INC-4242 closed '], status, body);

  it('posts the reason with the bearer token and says how to follow it', async () => {
    const cli = run(202, { requestId: 'ar-1', status: 'revoking' });
    expect(await cli.code).toBe(0);
    expect(cli.calls).toHaveLength(1);
    expect(cli.calls[0]?.url).toBe('https://api.example.com/access-requests/ar-1/revoke');
    expect(cli.calls[0]?.init.body).toBe(JSON.stringify({ reason: 'INC-4242 closed' }));
    expect(new Headers(cli.calls[0]?.init.headers).get('authorization')).toBe('Bearer tok');
    expect(cli.out.join('')).toBe('ar-1: revoking (the holder is told why); follow it with: gatehouse status ar-1\n');
  });

  it.each([
    [409, { message: 'request ar-1 is pending-approval; only a granted request can be revoked' }, 5, 'gatehouse revoke: 409 Conflict: request ar-1 is pending-approval; only a granted request can be revoked\n'],
    [404, { message: 'no access request ar-1 that you may see' }, 4, 'gatehouse revoke: 404 Not Found: no access request ar-1 that you may see\n'],
  ])('says a %i in one line', async (status, body, code, line) => {
    const cli = run(status, body);
    expect(await cli.code).toBe(code);
    expect(cli.err.join('')).toBe(line);
    expect(cli.out).toEqual([]);
  });
});

describe('extend', () => {
  const run = (argv: string[], status: number, body: Record<string, unknown>) => runAgainst('extend', argv, status, body);

  it('posts by and reason for a grant id (its request), with the idempotency key, and prints the extension id', async () => {
    const cli = run(['group:ProdAdmin#time-bound#ar-1', '--by', 'PT2H', '--reason', 'INC-4242 still open', '--idempotency-key', 'inc-4242-ext'], 202, {
      requestId: 'ex-1',
      extends: 'ar-1',
      status: 'submitted',
      currentEnd: '2026-03-02T10:00:00Z',
      newEnd: '2026-03-02T12:00:00Z',
    });
    expect(await cli.code).toBe(0);
    expect(cli.calls[0]?.url).toBe('https://api.example.com/access-requests/ar-1/extend');
    expect(cli.calls[0]?.init.body).toBe(JSON.stringify({ by: 'PT2H', reason: 'INC-4242 still open' }));
    expect(new Headers(cli.calls[0]?.init.headers).get('idempotency-key')).toBe('inc-4242-ext');
    expect(cli.out.join('')).toBe('ex-1: extension of ar-1 asked (ends now 2026-03-02T10:00:00Z, would end 2026-03-02T12:00:00Z); follow it with: gatehouse status ex-1\n');
  });

  it('says a refusal in one line (409: ended)', async () => {
    const cli = run(['ar-1', '--by', 'PT2H', '--reason', 'INC-4242 still open'], 409, { message: 'request ar-1 has ended (expired); an ended grant cannot be extended: ask for a new request' });
    expect(await cli.code).toBe(5);
    expect(cli.err.join('')).toBe('gatehouse extend: 409 Conflict: request ar-1 has ended (expired); an ended grant cannot be extended: ask for a new request\n');
  });
});

describe('withdraw', () => {
  const run = (status: number, body: Record<string, unknown>, argv: string[]) => runAgainst('withdraw', argv, status, body);

  it('posts to /withdraw, with the reason when one is given, and says what happens next', async () => {
    const withReason = run(202, { requestId: 'ar-1', status: 'withdrawn' }, ['ar-1', '--reason', ' fixed without it ']);
    expect(await withReason.code).toBe(0);
    expect(withReason.calls.map((c) => [c.url, c.init.body])).toEqual([['https://api.example.com/access-requests/ar-1/withdraw', JSON.stringify({ reason: 'fixed without it' })]]);
    expect(withReason.out.join('')).toBe('ar-1: withdrawn (the approvers are told; their links no longer work); follow it with: gatehouse status ar-1\n');
    const bare = run(202, { requestId: 'ar-1', status: 'withdrawn' }, ['ar-1']);
    expect(await bare.code).toBe(0);
    expect(bare.calls[0]?.init.body).toBe('{}');
  });

  it.each([
    [409, { message: 'request ar-1 is already granted; end it with revoke instead (gatehouse revoke ar-1 --reason ...)' }, 5, 'gatehouse withdraw: 409 Conflict: request ar-1 is already granted; end it with revoke instead (gatehouse revoke ar-1 --reason ...)\n'],
    [403, { message: 'only the person who asked for request ar-1, or an operator, may withdraw it' }, 3, 'gatehouse withdraw: 403 Forbidden: only the person who asked for request ar-1, or an operator, may withdraw it\n'],
  ])('says a %i in one line', async (status, body, code, line) => {
    const cli = run(status, body, ['ar-1']);
    expect(await cli.code).toBe(code);
    expect(cli.err.join('')).toBe(line);
    expect(cli.out).toEqual([]);
  });
});

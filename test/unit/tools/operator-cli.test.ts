import { describe, expect, it } from 'vitest';
import { EXIT, runOperatorCli } from '../../../tools/operator-cli.ts';

/** The kill switch CLI against a scripted API: what it sends, and an exit code and message for every answer. */

interface Sent {
  url: string;
  init: RequestInit;
}

function harness(answer: (sent: Sent) => Response | Promise<Response>, env: Record<string, string> = {}) {
  const sent: Sent[] = [];
  const out: string[] = [];
  const err: string[] = [];
  const fetchFake = ((url: string, init: RequestInit) => {
    const call = { url, init };
    sent.push(call);
    return Promise.resolve(answer(call));
  }) as typeof fetch;
  const run = (...argv: string[]) =>
    runOperatorCli(argv, { stdout: (t) => out.push(t), stderr: (t) => err.push(t) }, { env: { GATEHOUSE_API_URL: 'https://api.example.com/', GATEHOUSE_TOKEN: 'h.p.s', ...env }, fetch: fetchFake, cwd: '/nonexistent' });
  return { sent, run, out: () => out.join(''), err: () => err.join('') };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const REASON = ['--reason', 'laptop stolen'];

describe('gatehouse leave', () => {
  it('POSTs the employee and reason with the bearer token and an Idempotency-Key, and prints the execution', async () => {
    const cli = harness(() => json(202, { executionName: 'operator-k-12345678', status: 'RUNNING', replayed: false }));

    expect(await cli.run('leave', 'E1', ...REASON, '--idempotency-key', 'k-12345678')).toBe(EXIT.ok);

    expect(cli.sent).toHaveLength(1);
    expect(cli.sent[0]?.url).toBe('https://api.example.com/operator/leavers');
    expect(cli.sent[0]?.init.headers).toMatchObject({ authorization: 'Bearer h.p.s', 'idempotency-key': 'k-12345678', 'content-type': 'application/json' });
    expect(JSON.parse(cli.sent[0]?.init.body as string)).toEqual({ employeeId: 'E1', reason: 'laptop stolen' });
    expect(cli.out()).toContain('Leaver started: E1, execution operator-k-12345678 (RUNNING)');
  });

  it('generates a UUID key when none is given', async () => {
    const cli = harness(() => json(202, { executionName: 'x', status: 'RUNNING', replayed: true }));
    expect(await cli.run('leave', 'E1', ...REASON)).toBe(EXIT.ok);
    expect((cli.sent[0]?.init.headers as Record<string, string>)['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(cli.out()).toContain('Already started by this key');
  });

  it.each([
    [401, { message: 'Unauthorized' }, EXIT.auth, '401 Unauthorized: the API refused the token'],
    [403, { error: 'ForbiddenError', message: 'caller is not in the gatehouse-operators group' }, EXIT.auth, '403 Forbidden: caller is not in the gatehouse-operators group'],
    [404, { message: 'employeeId: Gatehouse knows no employee E1' }, EXIT.notFound, '404 Not Found: employeeId: Gatehouse knows no employee E1'],
    [409, { message: 'employee E1 already left' }, EXIT.conflict, '409 Conflict: employee E1 already left'],
    [400, { message: 'invalid body: reason: too short' }, EXIT.rejected, '400 rejected: invalid body: reason: too short'],
    [500, { error: 'InternalServerError' }, EXIT.unavailable, '500 from the API; retry with the same --idempotency-key'],
  ])('exits with a code and message for HTTP %i', async (status, body, code, message) => {
    const cli = harness(() => json(status, body));
    expect(await cli.run('leave', 'E1', ...REASON)).toBe(code);
    expect(cli.err()).toContain(message);
    expect(cli.out()).toBe('');
  });

  it('exits 6 when the API cannot be reached', async () => {
    const cli = harness(() => Promise.reject(new TypeError('fetch failed')));
    expect(await cli.run('leave', 'E1', ...REASON)).toBe(EXIT.unavailable);
    expect(cli.err()).toContain('cannot reach https://api.example.com/operator/leavers: fetch failed');
  });

  it.each([
    [['leave', 'E1'], 'leave needs --reason'],
    [['leave', ...REASON], 'leave takes exactly one employee id'],
    [['leave', 'E1', 'E2', ...REASON], 'leave takes exactly one employee id'],
    [['leave', 'E1', ...REASON, '--bogus'], "Unknown option '--bogus'"],
    [['leave', 'E1', ...REASON, '--local'], 'no local cloud found: GATEHOUSE_FRONT_DOOR is not set and /nonexistent/.gatehouse/endpoints.env cannot be read'],
  ])('exits 2 on bad usage %j, calling nothing', async (argv, message) => {
    const cli = harness(() => json(202, {}), { GATEHOUSE_API_URL: '' });
    expect(await cli.run(...argv)).toBe(EXIT.usage);
    expect(cli.err()).toContain(message);
    expect(cli.sent).toEqual([]);
  });

  it('exits 2 without an API URL or a token', async () => {
    const noApi = harness(() => json(202, {}), { GATEHOUSE_API_URL: '' });
    expect(await noApi.run('leave', 'E1', ...REASON)).toBe(EXIT.usage);
    expect(noApi.err()).toContain('no API URL');
    const noToken = harness(() => json(202, {}), { GATEHOUSE_TOKEN: '' });
    expect(await noToken.run('leave', 'E1', ...REASON)).toBe(EXIT.usage);
    expect(noToken.err()).toContain('no token: pass --token <jwt> or set GATEHOUSE_TOKEN');
  });

  it('prints help with exit 0, and usage with exit 2 for an unknown command', async () => {
    const cli = harness(() => json(202, {}));
    expect(await cli.run('--help')).toBe(EXIT.ok);
    expect(cli.out()).toContain('gatehouse leave <employeeId> --reason');
    expect(await cli.run('frobnicate')).toBe(EXIT.usage);
  });
});

import { describe, expect, it } from 'vitest';
import { controlRoutes } from '../../local/control.ts';
import { FaultInjector } from '../../local/core/faults.ts';
import type { HttpRequest, HttpResponse } from '../../local/core/http.ts';
import type { ServiceId } from '../../local/endpoints.ts';
import { frontDoor } from '../../local/front-door.ts';

/**
 * The local control endpoints (fault injection) in-process: rules added and removed one by one
 * with ids, bad rules refused with a 400 that changes nothing, and only programs on this machine
 * sending JSON heard (a web page's cross-origin or `text/plain` request is a 403 or a 415).
 */
const LOCAL = { host: '127.0.0.1:4700', 'content-type': 'application/json' };

function setup() {
  const faults = new FaultInjector();
  const routes = controlRoutes({ faults, endpoints: {} as Record<ServiceId, string>, inboxUrl: '', machines: [], oidc: () => Promise.resolve({ status: 404 }) });
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = LOCAL): Promise<{ status: number; json: Record<string, unknown> }> => {
    const req: HttpRequest = {
      method,
      path,
      query: new URLSearchParams(),
      headers,
      body: Buffer.from(body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body)),
    };
    const res: HttpResponse = await routes(req);
    return { status: res.status, json: JSON.parse(String(res.body)) as Record<string, unknown> };
  };
  return { faults, call };
}

type Rule = { id: string; service: string; operation: string };

describe('/_local/faults: rules one by one', () => {
  it('adds rules with ids, lists them, removes one, then clears the rest', async () => {
    const { call } = setup();

    const first = await call('POST', '/_local/faults', { spec: 'ec2:RunInstances:latency=50' });
    const second = await call('POST', '/_local/faults', { spec: 'identitystore:*:throttle=0.25;identitystore:*:rate=aws' });
    const [slow] = first.json.added as Rule[];
    const listed = await call('GET', '/_local/faults');
    const removed = await call('DELETE', `/_local/faults/${slow?.id ?? ''}`);
    const again = await call('DELETE', `/_local/faults/${slow?.id ?? ''}`);
    const cleared = await call('DELETE', '/_local/faults');

    expect(first.status).toBe(201);
    expect(second.json.added).toHaveLength(2);
    expect((listed.json.rules as Rule[]).map((r) => `${r.service}:${r.operation}`)).toEqual(['ec2:RunInstances', 'identitystore:*', 'identitystore:*']);
    expect(new Set((listed.json.rules as Rule[]).map((r) => r.id)).size).toBe(3);
    expect(removed.status).toBe(200);
    expect((removed.json.rules as Rule[]).map((r) => r.service)).toEqual(['identitystore', 'identitystore']);
    expect(again.status).toBe(404);
    expect(again.json.message).toContain(slow?.id);
    expect(cleared).toEqual({ status: 200, json: { rules: [], throttled: {} } });
  });

  it('PUT replaces every rule', async () => {
    const { call } = setup();
    await call('POST', '/_local/faults', { spec: 'ec2:*:throttle=0.5' });

    const replaced = await call('PUT', '/_local/faults', { spec: 'sfn:*:latency=10' });

    expect((replaced.json.rules as Rule[]).map((r) => r.service)).toEqual(['sfn']);
  });

  it.each([
    ['an unknown service', { spec: 'iam:*:throttle=0.5' }, 'unknown service "iam"'],
    ['a throttle above 1', { spec: 'identitystore:*:throttle=2' }, 'identitystore:*:throttle=2'],
    ['a rule without settings', { spec: 'ec2:RunInstances' }, 'ec2:RunInstances'],
    ['an unknown setting', { spec: 'ec2:*:jitter=5' }, 'jitter'],
    ['an empty spec', { spec: ' ' }, 'DELETE /_local/faults'],
    ['a body without spec', { rules: 'ec2:*:throttle=1' }, 'spec'],
    ['a body that is not JSON', 'ec2:*:throttle=1', 'not JSON'],
  ])('answers 400 for %s, naming it, and keeps the rules in force', async (_what, body, named) => {
    const { call } = setup();
    await call('POST', '/_local/faults', { spec: 'sfn:*:latency=10' });

    const res = await call('POST', '/_local/faults', body);

    expect(res.status).toBe(400);
    expect(res.json.message).toContain(named);
    expect(((await call('GET', '/_local/faults')).json.rules as Rule[]).map((r) => r.service)).toEqual(['sfn']);
  });

  it('answers 405 for other methods and 400 for a malformed rule id', async () => {
    const { call } = setup();
    expect((await call('PATCH', '/_local/faults', { spec: 'ec2:*:throttle=1' })).status).toBe(405);
    expect((await call('DELETE', '/_local/faults/%E0%A4%A')).status).toBe(400);
  });
});

describe('/_local/faults: programs on this machine only', () => {
  it.each([
    ['a text/plain body (a cross-site form or no-cors fetch)', 'POST', { host: '127.0.0.1:4700', 'content-type': 'text/plain' }, 415],
    ['a form body', 'POST', { host: '127.0.0.1:4700', 'content-type': 'application/x-www-form-urlencoded' }, 415],
    ['no content type', 'POST', { host: '127.0.0.1:4700' }, 415],
    ['a web page origin', 'POST', { ...LOCAL, origin: 'https://evil.example.com' }, 403],
    ['a web page origin, on DELETE', 'DELETE', { host: '127.0.0.1:4700', origin: 'https://evil.example.com' }, 403],
    ['a cross-site fetch', 'POST', { ...LOCAL, 'sec-fetch-site': 'cross-site' }, 403],
    ['a non-loopback Host (DNS rebinding)', 'POST', { ...LOCAL, host: 'evil.example.com:4700' }, 403],
    ['an opaque origin', 'POST', { ...LOCAL, origin: 'null' }, 403],
  ])('refuses %s and changes nothing', async (_what, method, headers, status) => {
    const { call, faults } = setup();

    const res = await call(method, '/_local/faults', { spec: 'ec2:*:throttle=1' }, headers);

    expect(res.status).toBe(status);
    expect(faults.current()).toEqual([]);
  });

  it('accepts JSON from a loopback origin (a local tool in a browser) and from localhost', async () => {
    const { call } = setup();
    expect((await call('POST', '/_local/faults', { spec: 'ec2:*:throttle=1' }, { ...LOCAL, origin: 'http://localhost:5173' })).status).toBe(201);
    expect((await call('POST', '/_local/faults', { spec: 'ec2:*:throttle=1' }, { ...LOCAL, host: 'localhost:4700' })).status).toBe(201);
  });
});

describe('the front door', () => {
  it('answers 400 for a malformed percent-encoding in a path parameter, and invokes nothing', async () => {
    const invoked: string[] = [];
    const door = frontDoor({ invoke: (arn) => Promise.resolve(invoked.push(arn)) }, () => Promise.resolve({ status: 404 }));
    const req = (path: string): HttpRequest => ({ method: 'GET', path, query: new URLSearchParams(), headers: { host: '127.0.0.1:4700' }, body: Buffer.alloc(0) });

    const bad = await door(req('/approvals/%E0%A4%A'));
    const good = await door(req('/approvals/abc%20def'));

    expect(bad).toMatchObject({ status: 400, body: '{"message":"Bad Request"}' });
    expect(good.status).toBe(200);
    expect(invoked).toHaveLength(1);
  });
});

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HrisCredentialsError, HrisResponseError, HrisUnavailableError, retryAfterMs, VendorHttp } from '#lib/adapters/hris/http';

type Reply = (req: IncomingMessage, res: ServerResponse) => void;

/** A loopback server that answers each request with the next scripted reply (the last one repeats). */
async function fakeServer(replies: Reply[]): Promise<{ url: string; hits: () => number; inFlightPeak: () => number; close: () => Promise<void> }> {
  let hits = 0;
  let inFlight = 0;
  let peak = 0;
  const server = createServer((req, res) => {
    inFlight += 1;
    peak = Math.max(peak, inFlight);
    res.on('close', () => (inFlight -= 1));
    const reply = replies[Math.min(hits, replies.length - 1)]!;
    hits += 1;
    reply(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits: () => hits,
    inFlightPeak: () => peak,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

const status = (code: number, headers: Record<string, string> = {}, body = '{}'): Reply => (_req, res) => {
  res.writeHead(code, { 'content-type': 'application/json', ...headers });
  res.end(body);
};
const ok = (body: unknown): Reply => status(200, {}, JSON.stringify(body));

const servers: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

function client(url: string, sleeps: number[], extra: Partial<ConstructorParameters<typeof VendorHttp>[0]> = {}): VendorHttp {
  return new VendorHttp({ vendor: 'hibob', baseUrl: url, sleep: (ms) => { sleeps.push(ms); return Promise.resolve(); }, random: () => 0.5, ...extra });
}
const call = { call: 'POST /v1/people/{id}', method: 'POST' as const, path: '/v1/people/12345', body: '{}' };

describe('VendorHttp', () => {
  it('retries a 429 after the Retry-After it was given, then returns the body', async () => {
    const server = await fakeServer([status(429, { 'retry-after': '3' }), ok({ id: '1' })]);
    servers.push(server);
    const sleeps: number[] = [];
    expect(await client(server.url, sleeps).json(call)).toEqual({ id: '1' });
    expect(server.hits()).toBe(2);
    expect(sleeps).toEqual([3000]);
  });

  it('backs off exponentially with jitter on 5xx without Retry-After, and gives up naming the call, not the id', async () => {
    const server = await fakeServer([status(500)]);
    servers.push(server);
    const sleeps: number[] = [];
    const error = await client(server.url, sleeps, { maxAttempts: 4, baseDelayMs: 100 }).json(call).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HrisUnavailableError);
    expect((error as Error).message).toBe('hibob POST /v1/people/{id} answered 500 (4 attempts)');
    expect((error as Error).message).not.toContain('12345');
    expect(server.hits()).toBe(4);
    expect(sleeps).toEqual([50, 100, 200]);
  });

  it('times out a hanging vendor per attempt and retries', async () => {
    const server = await fakeServer([() => undefined, ok({ id: '2' })]);
    servers.push(server);
    const sleeps: number[] = [];
    // 750 ms: the hanging attempt must time out, the answering one must not, even on a loaded 2-core machine.
    expect(await client(server.url, sleeps, { timeoutMs: 750 }).json(call)).toEqual({ id: '2' });
    expect(server.hits()).toBe(2);
  });

  it('does not retry rejected credentials or a 400; a 404 is "not found"', async () => {
    for (const [code, kind] of [[401, HrisCredentialsError], [403, HrisCredentialsError], [400, HrisResponseError]] as const) {
      const server = await fakeServer([status(code)]);
      servers.push(server);
      await expect(client(server.url, []).json(call)).rejects.toBeInstanceOf(kind);
      expect(server.hits()).toBe(1);
    }
    const missing = await fakeServer([status(404)]);
    servers.push(missing);
    expect(await client(missing.url, []).json(call)).toBeUndefined();
  });

  it('keeps at most `concurrency` calls in flight', async () => {
    const slow: Reply = (_req, res) => setTimeout(() => ok({})(_req, res), 30);
    const server = await fakeServer([slow]);
    servers.push(server);
    const http = client(server.url, [], { concurrency: 2 });
    await Promise.all(Array.from({ length: 8 }, () => http.json(call)));
    expect(server.hits()).toBe(8);
    expect(server.inFlightPeak()).toBe(2);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-03-02T08:00:00Z');
    expect(retryAfterMs('7', now)).toBe(7000);
    expect(retryAfterMs('Mon, 02 Mar 2026 08:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });
});

describe('VendorHttp and a Retry-After beyond its budget', () => {
  it('fails at once instead of retrying sooner than the vendor asked', async () => {
    const server = await fakeServer([status(429, { 'retry-after': '120' }), ok({})]);
    servers.push(server);
    const sleeps: number[] = [];
    await expect(client(server.url, sleeps, { maxDelayMs: 1000 }).json(call)).rejects.toThrow('hibob POST /v1/people/{id} answered 429 and asked to retry after 120 s');
    expect(server.hits()).toBe(1);
    expect(sleeps).toEqual([]);
  });
});

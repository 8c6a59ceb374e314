import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, UnauthorizedError } from '#lib/domain/shared/errors';
import type { HrisSource } from '#lib/domain/events/employee-events';
import { adapterFor } from '#lib/domain/hris/registry';
import type { HrisRequest } from '#lib/domain/hris/types';
import {
  BAMBOO_SECRET, GENERIC_SECRET, NOW, NOW_SECONDS, SECRETS, bamboohrRequest, clockAt, fixedClock, genericRequest,
  hibobRequest, signedRequest,
} from './support.ts';

const BODY = { type: 'employee.left', timestamp: '2026-03-02T08:00:00Z', data: { employeeId: 'E-1' } };
const SIGNATURE_HEADER: Record<HrisSource, string> = {
  generic: 'webhook-signature',
  bamboohr: 'x-bamboohr-signature',
  hibob: 'bob-signature',
};

const withHeader = (req: HrisRequest, name: string, value: string | undefined): HrisRequest => {
  const headers = { ...req.headers };
  if (value === undefined) delete headers[name];
  else headers[name] = value;
  return { ...req, headers };
};
const flipByte = (buf: Buffer, index: number): Buffer => {
  const copy = Buffer.from(buf);
  copy[index] = (copy[index] ?? 0) ^ 0x01;
  return copy;
};

describe.each(['generic', 'bamboohr', 'hibob'] as const)('%s verify', (source) => {
  const adapter = adapterFor(source);
  const secret = SECRETS[source];
  const valid = (): HrisRequest => signedRequest[source](BODY);

  it('accepts a correctly signed request', () => {
    expect(() => adapter.verify(valid(), secret, fixedClock)).not.toThrow();
  });

  it('rejects the wrong secret', () => {
    const wrong = source === 'generic' ? `whsec_${Buffer.from('another-key').toString('base64')}` : `${secret}x`;
    expect(() => adapter.verify(valid(), wrong, fixedClock)).toThrow(UnauthorizedError);
  });

  it.each([0, 10, 'last'] as const)('rejects a body with byte %s tampered', (position) => {
    const req = valid();
    const index = position === 'last' ? req.rawBody.length - 1 : position;
    expect(() => adapter.verify({ ...req, rawBody: flipByte(req.rawBody, index) }, secret, fixedClock)).toThrow(UnauthorizedError);
  });

  it('rejects a missing signature header', () => {
    expect(() => adapter.verify(withHeader(valid(), SIGNATURE_HEADER[source], undefined), secret, fixedClock)).toThrow(UnauthorizedError);
  });

  it.each(['', 'garbage', 'v1,', 'v1,!!!!', ' ', '\u0000', 'sha256=abc'])('rejects a malformed signature header %j', (value) => {
    expect(() => adapter.verify(withHeader(valid(), SIGNATURE_HEADER[source], value), secret, fixedClock)).toThrow(UnauthorizedError);
  });

  it('never says what was wrong', () => {
    const exactly = /^webhook signature verification failed$/;
    expect(() => adapter.verify(withHeader(valid(), SIGNATURE_HEADER[source], undefined), secret, fixedClock)).toThrow(exactly);
    expect(() => adapter.verify({ ...valid(), rawBody: Buffer.from('{}') }, secret, fixedClock)).toThrow(exactly);
    expect(() => adapter.verify(valid(), source === 'generic' ? 'raw-wrong-secret' : `${secret}0`, fixedClock)).toThrow(exactly);
  });

  it('treats an empty secret as a deploy error', () => {
    expect(() => adapter.verify(valid(), '', fixedClock)).toThrow(ConfigError);
  });
});

describe.each([
  ['generic', (timestamp: number): HrisRequest => genericRequest(BODY, { timestamp }), 'webhook-timestamp'],
  ['bamboohr', (timestamp: number): HrisRequest => bamboohrRequest(BODY, { timestamp }), 'x-bamboohr-timestamp'],
] as const)('%s timestamp window', (source, signAt, header) => {
  const adapter = adapterFor(source);
  const secret = SECRETS[source];

  it.each([-300, 300, 0])('accepts a timestamp %i s from now (inside +-5 minutes)', (offset) => {
    expect(() => adapter.verify(signAt(NOW_SECONDS + offset), secret, fixedClock)).not.toThrow();
  });

  it.each([-301, 301, -86_400])('rejects a timestamp %i s from now', (offset) => {
    expect(() => adapter.verify(signAt(NOW_SECONDS + offset), secret, fixedClock)).toThrow(UnauthorizedError);
  });

  it('uses the injected clock', () => {
    const req = signAt(NOW_SECONDS);
    expect(() => adapter.verify(req, secret, clockAt(NOW.getTime() + 301_000))).toThrow(UnauthorizedError);
    expect(() => adapter.verify(req, secret, clockAt(NOW.getTime() + 300_000))).not.toThrow();
  });

  it('rejects a missing timestamp header', () => {
    expect(() => adapter.verify(withHeader(signAt(NOW_SECONDS), header, undefined), secret, fixedClock)).toThrow(UnauthorizedError);
  });

  it.each(['abc', '1.5e9', '-1', `${NOW_SECONDS} `, '0x6a'])('rejects a malformed timestamp %j', (value) => {
    expect(() => adapter.verify(withHeader(signAt(NOW_SECONDS), header, value), secret, fixedClock)).toThrow(UnauthorizedError);
  });

  it('rejects a timestamp changed after signing (it is signed)', () => {
    expect(() => adapter.verify(withHeader(signAt(NOW_SECONDS), header, String(NOW_SECONDS + 1)), secret, fixedClock)).toThrow(UnauthorizedError);
  });
});

describe('generic (Standard Webhooks) specifics', () => {
  const adapter = adapterFor('generic');
  const valid = genericRequest(BODY);
  const good = valid.headers['webhook-signature'] ?? '';
  const other = `v1,${createHmac('sha256', 'other').update('x').digest('base64')}`;

  it.each([
    ['valid last', `${other} ${good}`],
    ['valid first', `${good} ${other}`],
    ['among other versions', `v1a,${other.slice(3)} ${good} v2,abc`],
  ])('accepts several signatures, one valid (%s)', (_name, header) => {
    expect(() => adapter.verify(withHeader(valid, 'webhook-signature', header), GENERIC_SECRET, fixedClock)).not.toThrow();
  });

  it('rejects several signatures when none is valid', () => {
    expect(() => adapter.verify(withHeader(valid, 'webhook-signature', `${other} ${other}`), GENERIC_SECRET, fixedClock)).toThrow(UnauthorizedError);
  });

  it('rejects the right digest under another version tag', () => {
    expect(() => adapter.verify(withHeader(valid, 'webhook-signature', good.replace('v1,', 'v2,')), GENERIC_SECRET, fixedClock)).toThrow(UnauthorizedError);
  });

  it('signs the webhook-id: another id fails', () => {
    expect(() => adapter.verify(withHeader(valid, 'webhook-id', 'msg_other'), GENERIC_SECRET, fixedClock)).toThrow(UnauthorizedError);
  });

  it('rejects a missing webhook-id', () => {
    expect(() => adapter.verify(withHeader(valid, 'webhook-id', undefined), GENERIC_SECRET, fixedClock)).toThrow(UnauthorizedError);
  });

  it('uses a raw UTF-8 secret when it has no whsec_ prefix', () => {
    const req = genericRequest(BODY, { secret: 'plain-shared-secret' });
    expect(() => adapter.verify(req, 'plain-shared-secret', fixedClock)).not.toThrow();
    expect(() => adapter.verify(req, `whsec_${Buffer.from('plain-shared-secret').toString('base64')}`, fixedClock)).not.toThrow();
    expect(() => adapter.verify(req, 'plain-shared-secreT', fixedClock)).toThrow(UnauthorizedError);
  });

  it.each(['whsec_not*base64', 'whsec_', `${GENERIC_SECRET}0`, `${GENERIC_SECRET}==`])('treats the non-canonical whsec_ secret %j as a deploy error', (secret) => {
    expect(() => adapter.verify(valid, secret, fixedClock)).toThrow(ConfigError);
  });
});

describe('bamboohr specifics', () => {
  const adapter = adapterFor('bamboohr');

  it('signs body followed by timestamp, not the body alone', () => {
    const req = bamboohrRequest(BODY);
    const bodyOnly = createHmac('sha256', BAMBOO_SECRET).update(req.rawBody).digest('hex');
    expect(() => adapter.verify(withHeader(req, 'x-bamboohr-signature', bodyOnly), BAMBOO_SECRET, fixedClock)).toThrow(UnauthorizedError);
  });

  it('compares the exact lower-case hex (no second spelling is accepted)', () => {
    const req = bamboohrRequest(BODY);
    const upper = (req.headers['x-bamboohr-signature'] ?? '').toUpperCase();
    expect(() => adapter.verify(withHeader(req, 'x-bamboohr-signature', upper), BAMBOO_SECRET, fixedClock)).toThrow(UnauthorizedError);
  });
});

describe('hibob specifics', () => {
  const adapter = adapterFor('hibob');

  it('has no timestamp, so the clock does not matter', () => {
    expect(() => adapter.verify(hibobRequest(BODY), SECRETS.hibob, clockAt(0))).not.toThrow();
  });

  it('rejects a SHA-256 signature where SHA-512 is expected', () => {
    const req = hibobRequest(BODY);
    const sha256 = createHmac('sha256', SECRETS.hibob).update(req.rawBody).digest('base64');
    expect(() => adapter.verify(withHeader(req, 'bob-signature', sha256), SECRETS.hibob, fixedClock)).toThrow(UnauthorizedError);
  });
});

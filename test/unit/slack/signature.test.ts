import { describe, expect, it } from 'vitest';
import { UnauthorizedError } from '#lib/domain/shared/errors';
import { slackSignature, verifySlackSignature } from '#lib/domain/slack/signature';

const secret = '8f742231b10e8888abcd99yyyzzz85a5';
const body = 'payload=%7B%22type%22%3A%22block_actions%22%7D';
const at = (epochSeconds: number) => ({ now: () => new Date(epochSeconds * 1000) });

describe('Slack request signature (v0 HMAC-SHA256 of v0:timestamp:body)', () => {
  it('accepts what Slack signs, within five minutes either way', () => {
    const timestamp = '1700000000';
    const signature = slackSignature(secret, timestamp, body);
    expect(signature).toMatch(/^v0=[0-9a-f]{64}$/);
    expect(() => verifySlackSignature({ timestamp, signature, rawBody: body }, secret, at(1700000000 + 300))).not.toThrow();
    expect(() => verifySlackSignature({ timestamp, signature, rawBody: body }, secret, at(1700000000 - 300))).not.toThrow();
  });

  it.each([
    ['a forged signature', { signature: `v0=${'0'.repeat(64)}` }],
    ['another secret', { signature: slackSignature('other-secret', '1700000000', body) }],
    ['an edited body', { rawBody: `${body}x` }],
    ['a stale timestamp', { now: 1700000000 + 301 }],
    ['a future timestamp', { now: 1700000000 - 301 }],
    ['no signature', { signature: undefined }],
    ['no timestamp', { timestamp: undefined }],
    ['a non-numeric timestamp', { timestamp: '17e8' }],
    ['a short signature', { signature: 'v0=ab' }],
  ])('refuses %s with 401', (_name, change: { signature?: string | undefined; timestamp?: string | undefined; rawBody?: string; now?: number }) => {
    const timestamp = '1700000000';
    const request = { timestamp, signature: slackSignature(secret, timestamp, body), rawBody: body, ...change };
    expect(() => verifySlackSignature(request, secret, at(change.now ?? 1700000000))).toThrow(UnauthorizedError);
  });
});

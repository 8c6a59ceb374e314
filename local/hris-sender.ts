import { createHmac } from 'node:crypto';

/**
 * Signs webhooks the way each HRIS vendor does, from the sender's side: the demo, the
 * benchmarks and the tests use it to play the HRIS. Written from the vendors' documented
 * schemes, independently of the verifiers in functions/lib/hris.
 */
export type SignedHeaders = Record<string, string>;

const standardWebhooksKey = (secret: string): Buffer =>
  secret.startsWith('whsec_') ? Buffer.from(secret.slice('whsec_'.length), 'base64') : Buffer.from(secret, 'utf8');

/** Standard Webhooks: `v1,` + base64 HMAC-SHA256 of `id.timestamp.body`. */
export function signStandardWebhook(body: Buffer, secret: string, id: string, timestampSeconds: number): SignedHeaders {
  const signature = createHmac('sha256', standardWebhooksKey(secret)).update(`${id}.${timestampSeconds}.`).update(body).digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': String(timestampSeconds), 'webhook-signature': `v1,${signature}` };
}

/** BambooHR: hex HMAC-SHA256 of the body followed by the timestamp. */
export function signBambooHr(body: Buffer, secret: string, timestampSeconds: number): SignedHeaders {
  const signature = createHmac('sha256', secret).update(body).update(String(timestampSeconds)).digest('hex');
  return { 'x-bamboohr-signature': signature, 'x-bamboohr-timestamp': String(timestampSeconds) };
}

/** HiBob: base64 HMAC-SHA512 of the body. */
export function signHiBob(body: Buffer, secret: string): SignedHeaders {
  return { 'bob-signature': createHmac('sha512', secret).update(body).digest('base64') };
}

/**
 * Personio: no signature. The webhook's configured token is sent verbatim as the
 * `Authorization` header (auth_type TOKEN; developer.personio.de "Create new webhook").
 */
export function signPersonio(token: string): SignedHeaders {
  return { authorization: token };
}

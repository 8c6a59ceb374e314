import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createAuditStore } from '../../../functions/lib/adapters/dynamodb/audit.ts';
import { userNameOf, type E2eCloud } from './e2e-cloud.ts';

/** A time-bound request and its audit trail through the local cloud's front door, as the e2e tests ask and read them. */

const tokenFor = (e2e: E2eCloud, id: string) => e2e.cloud.issueToken({ email: userNameOf(id), groups: [] });

/** POST /access-requests as employee `id`; the request id (202), else throws with the answer. */
export async function askAccess(e2e: E2eCloud, id: string, body: { entitlementId: string; duration: string; justification: string }, key: string): Promise<string> {
  const res = await fetch(`${e2e.frontDoor}/access-requests`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(e2e, id)}`, 'idempotency-key': key },
    body: JSON.stringify(body),
  });
  const answer = (await res.json()) as Record<string, unknown>;
  if (res.status !== 202) throw new Error(`POST /access-requests answered ${res.status} ${JSON.stringify(answer)}`);
  return String(answer.requestId);
}

/** GET /access-requests/{id} as employee `id`. */
export async function requestStatus(e2e: E2eCloud, id: string, requestId: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${e2e.frontDoor}/access-requests/${requestId}`, { headers: { authorization: `Bearer ${await tokenFor(e2e, id)}` } });
  return (await res.json()) as Record<string, unknown>;
}

/** The audit entries of one request of employee `id`. */
export async function requestAudit(e2e: E2eCloud, id: string, requestId: string) {
  const client = new DynamoDBClient({});
  try {
    const all = await createAuditStore({ client, tableName: e2e.cloud.env.AUDIT_TABLE_NAME ?? '', clock: { now: () => new Date() } }).listBySubject(id);
    return all.filter((entry) => entry.requestId === requestId);
  } finally {
    client.destroy();
  }
}

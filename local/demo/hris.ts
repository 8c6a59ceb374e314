import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { HRIS_SECRET_PREFIX } from '../function-env.ts';
import { signStandardWebhook } from '../hris-sender.ts';

export interface PostResult {
  status: number;
  body: string;
}

/** Plays a generic HRIS: signs a Standard Webhooks delivery and posts it to the front door. */
export class DemoHris {
  private secret: string | undefined;

  constructor(private readonly frontDoorUrl: string) {}

  private async signingSecret(): Promise<string> {
    if (!this.secret) {
      const client = new SecretsManagerClient({});
      const out = await client.send(new GetSecretValueCommand({ SecretId: `${HRIS_SECRET_PREFIX}generic` }));
      client.destroy();
      this.secret = out.SecretString ?? '';
    }
    return this.secret;
  }

  async post(payload: object, deliveryId: string, options: { secret?: string } = {}): Promise<PostResult> {
    const body = Buffer.from(JSON.stringify(payload));
    const headers = signStandardWebhook(body, options.secret ?? (await this.signingSecret()), deliveryId, Math.floor(Date.now() / 1000));
    const res = await fetch(`${this.frontDoorUrl}/hris/generic`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    return { status: res.status, body: await res.text() };
  }
}

/** A generic `employee.hired` payload for a demo person. */
export function hirePayload(person: { id: string; role: string; managerEmail?: string; endDate?: string; startDate?: string }): object {
  const today = new Date().toISOString().slice(0, 10);
  return {
    type: 'employee.hired',
    timestamp: new Date().toISOString(),
    data: {
      employeeId: person.id,
      email: `${person.id.toLowerCase()}@example.com`,
      firstName: 'Demo',
      lastName: person.id,
      role: person.role,
      managerEmail: person.managerEmail ?? 'dana.lead@example.com',
      employmentType: person.endDate ? 'contractor' : 'employee',
      startDate: person.startDate ?? today,
      ...(person.endDate ? { endDate: person.endDate } : {}),
    },
  };
}

/** A generic `employee.changed` payload: the demo person with a new role (and the role before, when given). */
export function changePayload(person: { id: string; role: string; previousRole?: string; managerEmail?: string }): object {
  const hired = hirePayload(person) as { data: Record<string, unknown> };
  return {
    type: 'employee.changed',
    timestamp: new Date().toISOString(),
    data: { ...hired.data, ...(person.previousRole ? { previousRole: person.previousRole } : {}) },
  };
}

/** A generic `employee.left` payload; `effectiveAt` defaults to now (revoke at once). */
export function leavePayload(person: { id: string; effectiveAt?: string; immediate?: boolean }): object {
  return {
    type: 'employee.left',
    timestamp: new Date().toISOString(),
    data: { employeeId: person.id, ...(person.effectiveAt ? { effectiveAt: person.effectiveAt } : {}), immediate: person.immediate ?? false },
  };
}

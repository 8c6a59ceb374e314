import { EC2ServiceException } from '@aws-sdk/client-ec2';
import { resolveEntitlements } from '#lib/domain/catalogue/resolve';
import { roleCatalogue } from '#lib/runtime/catalogue';
import { NotFoundError, TransientError } from '#lib/domain/shared/errors';
import { provisionEntitlementSchema, workstationsOf, type ProvisionEntitlement, type WorkstationProfile } from '#lib/domain/provision/schemas';
import { creatorOf, INTENT_LEASE_MS } from '#lib/adapters/dynamodb/employees/ownership';
import { type OwnershipRecord, type UserOwnershipPort } from '#lib/domain/provision/ports';

/** The engineer's entitlements as Prepare Request resolves them: AllStaff, Engineering, ProdReadOnly, dev-arm. */
export const engineerEntitlements = (): ProvisionEntitlement[] =>
  resolveEntitlements(roleCatalogue, 'engineer').map((entitlement) => provisionEntitlementSchema.parse(entitlement));

export function devArm(): WorkstationProfile {
  const [workstation] = workstationsOf(engineerEntitlements());
  if (!workstation) throw new Error('the engineer role has no workstation in the catalogue');
  return workstation;
}

export { anEmployee } from '../catalogue/factories.ts';

/** An EC2 error as the SDK raises it: its name is EC2's error code. */
export function ec2Error(code: string, status = 400): EC2ServiceException {
  return new EC2ServiceException({
    name: code,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message: `${code} (mocked)`,
  });
}

export const USER_ID = '9067000000-11111111-2222-3333-4444-555555555555';
export const groupIdOf = (displayName: string): string =>
  `9067000000-${Buffer.from(displayName).toString('hex').padEnd(8, '0').slice(0, 8)}-aaaa-bbbb-cccc-dddddddddddd`;

/** The employees item's user-creation record, in memory, with the adapter's semantics (user-ownership.ts). */
export function memoryOwnership(known: readonly string[] = ['E1001']) {
  const records = new Map<string, OwnershipRecord & { intentAt?: number }>(known.map((employeeId) => [employeeId, {}]));
  const calls: string[] = [];
  const clock = { now: 0 };
  const itemOf = (employeeId: string) => {
    const record = records.get(employeeId);
    if (!record) throw new NotFoundError(`employeeId: no employee ${employeeId}`);
    return record;
  };
  const port: UserOwnershipPort = {
    recordIntent: async (employeeId, requestId) => {
      calls.push(`recordIntent ${requestId}`);
      const record = itemOf(employeeId);
      const live = record.intent !== undefined && record.intent !== requestId && (record.intentAt ?? 0) >= clock.now - INTENT_LEASE_MS;
      if (live) throw new TransientError(`request ${record.intent} is creating the user; retry`);
      Object.assign(record, { intent: requestId, intentAt: clock.now });
      return Promise.resolve();
    },
    recordCreator: async (employeeId, requestId, userId) => {
      calls.push(`recordCreator ${requestId} ${userId}`);
      const record = itemOf(employeeId);
      delete record.intent;
      delete record.intentAt;
      Object.assign(record, { createdBy: requestId, userId });
      return Promise.resolve();
    },
    creatorOf: async (employeeId, userId) => {
      calls.push(`creatorOf ${userId}`);
      return Promise.resolve(creatorOf(records.get(employeeId), userId));
    },
  };
  return { port, records, calls, clock };
}

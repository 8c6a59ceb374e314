import { EC2ServiceException } from '@aws-sdk/client-ec2';
import { resolveEntitlements, roleCatalogue } from '#lib/catalogue/catalogue';
import { provisionEntitlementSchema, workstationsOf, type ProvisionEntitlement, type WorkstationProfile } from '#lib/provision/schemas';

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

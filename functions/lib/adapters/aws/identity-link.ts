import { DescribeUserCommand, type IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { z } from 'zod';
import { callAws } from './call-aws.ts';

/**
 * The link between an Identity Store user and the employee it belongs to (issue #11).
 *
 * AWS's CreateUser cannot set `ExternalIds` (only SCIM provisioning from an external identity
 * provider does; the API reference lists no such request member), so Gatehouse links a user the
 * way CreateUser allows: the enterprise extension's `employeeNumber` (SCIM's enterprise user
 * attribute, `Extensions: { "aws:identitystore:enterprise": { employeeNumber } }`, API of
 * 2025-12) holds the HRIS employee id. DescribeUser returns it when asked for the extension.
 * https://docs.aws.amazon.com/singlesignon/latest/IdentityStoreAPIReference/API_CreateUser.html
 * https://docs.aws.amazon.com/singlesignon/latest/IdentityStoreAPIReference/API_DescribeUser.html
 */

export const ENTERPRISE_EXTENSION = 'aws:identitystore:enterprise';

/** CreateUser's `Extensions` member linking the new user to `employeeId`. */
export const linkExtensions = (employeeId: string) => ({ [ENTERPRISE_EXTENSION]: { employeeNumber: employeeId } });

const describedSchema = z.looseObject({
  Extensions: z.record(z.string(), z.unknown()).optional(),
});
const enterpriseSchema = z.looseObject({ employeeNumber: z.string().min(1).optional() });

/** The employee id the user is linked to, or undefined for a user nobody linked (made by hand, or before links). */
export async function linkedEmployeeOf(client: Pick<IdentitystoreClient, 'send'>, identityStoreId: string, userId: string): Promise<string | undefined> {
  const out = await callAws('DescribeUser', () =>
    client.send(new DescribeUserCommand({ IdentityStoreId: identityStoreId, UserId: userId, Extensions: [ENTERPRISE_EXTENSION] })),
  );
  const extension = describedSchema.parse(out).Extensions?.[ENTERPRISE_EXTENSION];
  const parsed = enterpriseSchema.safeParse(extension);
  return parsed.success ? parsed.data.employeeNumber : undefined;
}

import { z } from 'zod';

/** Environment the provisioning functions read at cold start (set by the stack and by local/function-env.ts). */

export const identityStoreIdSchema = z
  .string()
  .regex(/^d-[0-9a-f]{10}$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be an identity store id (d-0123456789)');

export const identityConfigSchema = z.object({ IDENTITY_STORE_ID: identityStoreIdSchema });

export const placementConfigSchema = z.object({
  WORKSTATION_SUBNET_ID: z.string().regex(/^subnet-[0-9a-f]{8,17}$/, 'must be a subnet id'),
  WORKSTATION_SECURITY_GROUP_ID: z.string().regex(/^sg-[0-9a-f]{8,17}$/, 'must be a security group id'),
  /** The subnet's zone; optional because the subnet implies it. */
  WORKSTATION_AVAILABILITY_ZONE: z.string().regex(/^[a-z0-9-]+[a-z]$/, 'must be an availability zone name').optional(),
});

const tableNameSchema = z.string().min(3).max(255);

export const provisionIdentityConfigSchema = identityConfigSchema.extend({ EMPLOYEES_TABLE_NAME: tableNameSchema });

export const compensationConfigSchema = identityConfigSchema.extend({ AUDIT_TABLE_NAME: tableNameSchema, EMPLOYEES_TABLE_NAME: tableNameSchema });

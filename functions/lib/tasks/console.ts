import { z } from 'zod';
import { AUDIT_QUERIES } from '../domain/console/audit.ts';

/** The console API's inputs: query strings and bodies, one schema each (functions/console-*). */

const nextToken = z.string().max(2048).optional();

export const pageQuerySchema = z.strictObject({ nextToken });
export const approversQuerySchema = z.strictObject({ duration: z.string().min(2).max(32) });
export const peopleQuerySchema = z.strictObject({
  q: z.string().max(254).default(''),
  status: z.enum(['active', 'left']).default('active'),
  nextToken,
});
export const decisionBodySchema = z.strictObject({
  decision: z.enum(['approve', 'deny']),
  reason: z.string().max(500).optional(),
});
export const auditQueryNameSchema = z.enum(AUDIT_QUERIES);
export const auditQuerySchema = z.strictObject({
  entitlementId: z.string().max(200).optional(),
  at: z.iso.datetime({ offset: true }).optional(),
  approver: z.string().max(254).optional(),
  format: z.enum(['json', 'csv']).default('json'),
});

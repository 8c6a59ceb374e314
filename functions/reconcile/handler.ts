import { z } from 'zod';
import { createAuditStore } from '#lib/audit/audit-store';
import { roleCatalogue } from '#lib/catalogue/catalogue';
import { documentClient } from '#lib/clients/dynamodb';
import { ec2Client } from '#lib/clients/ec2';
import { identitystoreClient } from '#lib/clients/identitystore';
import { loadConfig } from '#lib/config';
import { logger } from '#lib/logger';
import { createInventory } from '#lib/reconcile/inventory';
import { findDrift, planRemovals, toAuditDraft } from '#lib/reconcile/reconcile';
import { taskHandler } from '#lib/task-handler';

/**
 * Reconcile (daily schedule): report mode only. One `reconciliation.finding` audit entry per
 * finding, idempotent per run date; the removal plan is computed (mass-deletion guard
 * included) and returned, never executed here.
 */
const config = loadConfig(
  z.object({
    IDENTITY_STORE_ID: z.string().min(1),
    EMPLOYEES_TABLE_NAME: z.string().min(1),
    GRANTS_TABLE_NAME: z.string().min(1),
    AUDIT_TABLE_NAME: z.string().min(1),
  }),
);
/** Largest share of existing users one run may remove. */
const MAX_REMOVAL_SHARE = 0.1;
const clock = { now: () => new Date() };
const inventory = createInventory({
  identityStore: identitystoreClient,
  identityStoreId: config.IDENTITY_STORE_ID,
  ec2: ec2Client,
  dynamo: documentClient,
  employeesTable: config.EMPLOYEES_TABLE_NAME,
  grantsTable: config.GRANTS_TABLE_NAME,
});
const audit = createAuditStore({ client: documentClient, tableName: config.AUDIT_TABLE_NAME, clock });

const inputSchema = z.object({ mode: z.literal('report').default('report') });

export const handler = taskHandler(inputSchema, async () => {
  const now = clock.now();
  const runDate = now.toISOString().slice(0, 10);
  const [desired, actual] = await Promise.all([inventory.readDesired(), inventory.readActual()]);
  const findings = findDrift(roleCatalogue, desired, actual, now);
  for (const finding of findings) await audit.append(toAuditDraft(finding, runDate));
  const plan = planRemovals(findings, desired, actual, { maxShare: MAX_REMOVAL_SHARE });
  logger.info('reconciliation reported', { runDate, findings: findings.length, plan: plan.outcome });
  return { mode: 'report' as const, runDate, findings, plan };
});

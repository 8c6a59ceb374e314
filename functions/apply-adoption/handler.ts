import { z } from 'zod';
import { eventbridgeClient } from '#lib/adapters/aws/clients/eventbridge';
import { identitystoreBulkClient } from '#lib/adapters/aws/clients/identitystore';
import { eventBridgePublisher } from '#lib/adapters/aws/eventbridge';
import { createIdentityStore } from '#lib/adapters/aws/identitystore';
import { createStoredPlanReader } from '#lib/adapters/dynamodb/adoptions';
import { createAuditStore } from '#lib/adapters/dynamodb/audit';
import { documentClient } from '#lib/adapters/dynamodb/client';
import { createAdoptionEmployees } from '#lib/adapters/dynamodb/employees/adopt';
import { createGrantStore } from '#lib/adapters/dynamodb/grants';
import { applyNextBatch, startAdoption } from '#lib/domain/adoption/workflow';
import { joinerIdentityCalls } from '#lib/domain/provision/identity-calls';
import { roleCatalogue } from '#lib/runtime/catalogue';
import { loadConfig } from '#lib/runtime/config';
import { logger } from '#lib/runtime/logger';
import { identityConfigSchema } from '#lib/runtime/provision-config';
import { taskHandler } from '#lib/runtime/task-handler';
import { applyAdoptionInputSchema } from '#lib/tasks/apply-adoption';

/**
 * The adoption workflow's Task states (task contracts: lib/tasks/apply-adoption.ts): read the
 * stored plan's header, apply one batch. Identity Store calls (extras removed with --revoke-extras)
 * go through the bulk client, which paces itself under Identity Center's shared rate.
 */
const config = loadConfig(
  identityConfigSchema.extend({
    ADOPTIONS_TABLE_NAME: z.string().min(1),
    EMPLOYEES_TABLE_NAME: z.string().min(1),
    GRANTS_TABLE_NAME: z.string().min(1),
    AUDIT_TABLE_NAME: z.string().min(1),
    EVENT_BUS_NAME: z.string().min(1),
    /** Identity Store requests per second the hires may use (AWS's account-wide ~20; lower it to leave room for other work). */
    ADOPTION_IDENTITY_STORE_RATE: z.coerce.number().positive().max(1_000).default(20),
  }),
);
const clock = { now: () => new Date() };
const plans = createStoredPlanReader({ client: documentClient, tableName: config.ADOPTIONS_TABLE_NAME });
const deps = {
  plans,
  employees: createAdoptionEmployees({ client: documentClient, tableName: config.EMPLOYEES_TABLE_NAME }),
  grants: createGrantStore({ client: documentClient, tableName: config.GRANTS_TABLE_NAME }),
  audit: createAuditStore({ client: documentClient, tableName: config.AUDIT_TABLE_NAME, clock }),
  hires: eventBridgePublisher(eventbridgeClient, config.EVENT_BUS_NAME),
  memberships: createIdentityStore({ client: identitystoreBulkClient, identityStoreId: config.IDENTITY_STORE_ID }),
  clock,
  pacing: { rate: config.ADOPTION_IDENTITY_STORE_RATE, callsPerHire: (role: string) => joinerIdentityCalls(roleCatalogue, role) },
};

export const handler = taskHandler(applyAdoptionInputSchema, async (input) => {
  if (input.action === 'start') return startAdoption(plans, input.planId);
  const progress = await applyNextBatch(deps, input.planId, { cursor: input.cursor, counts: input.counts });
  logger.info('adoption batch applied', { planId: input.planId, cursor: progress.cursor, ...progress.counts });
  return progress;
});

import { z } from 'zod';
import { identitystoreBulkClient } from '#lib/adapters/aws/clients/identitystore';
import { createIdentityStore } from '#lib/adapters/aws/identitystore';
import { createAuditStore } from '#lib/adapters/dynamodb/audit';
import { documentClient } from '#lib/adapters/dynamodb/client';
import { createConvergenceStore } from '#lib/adapters/dynamodb/employees/convergence';
import { createRequestRepository } from '#lib/adapters/dynamodb/requests';
import { grantAdded, listSegment, planConvergence, prepareEmployee, summarise, type ConvergenceDeps } from '#lib/domain/convergence/converge';
import { catalogueVersionId, roleCatalogue } from '#lib/runtime/catalogue';
import { loadConfig } from '#lib/runtime/config';
import { logger } from '#lib/runtime/logger';
import { identityConfigSchema } from '#lib/runtime/provision-config';
import { taskHandler } from '#lib/runtime/task-handler';
import { convergeCatalogueInputSchema } from '#lib/tasks/converge-catalogue';

/**
 * Catalogue convergence's own Task states (task contracts: lib/tasks/converge-catalogue.ts):
 * plan, list a segment, prepare one person, grant the memberships the role now adds, count.
 * The catalogue is the deployed one (loaded at cold start); a run asked for another version fails
 * with a ValidationError naming both.
 */
const config = loadConfig(
  identityConfigSchema.extend({
    EMPLOYEES_TABLE_NAME: z.string().min(1),
    GRANTS_TABLE_NAME: z.string().min(1),
    REQUESTS_TABLE_NAME: z.string().min(1),
    AUDIT_TABLE_NAME: z.string().min(1),
    APPROVAL_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(365 * 24 * 60 * 60).default(259_200),
    CONVERGENCE_MAX_REVOKE_SHARE: z.coerce.number().min(0).max(1).default(0.25),
    CONVERGENCE_SEGMENT_SIZE: z.coerce.number().int().min(1).max(1_000).default(250),
  }),
);
const clock = { now: () => new Date() };
const deps: ConvergenceDeps = {
  catalogue: roleCatalogue,
  catalogueVersion: catalogueVersionId,
  store: createConvergenceStore({ client: documentClient, employeesTable: config.EMPLOYEES_TABLE_NAME, grantsTable: config.GRANTS_TABLE_NAME }),
  requests: createRequestRepository({ client: documentClient, tableName: config.REQUESTS_TABLE_NAME }),
  audit: createAuditStore({ client: documentClient, tableName: config.AUDIT_TABLE_NAME, clock }),
  identity: createIdentityStore({ client: identitystoreBulkClient, identityStoreId: config.IDENTITY_STORE_ID }),
  clock,
  settings: { maxRevokeShare: config.CONVERGENCE_MAX_REVOKE_SHARE, segmentSize: config.CONVERGENCE_SEGMENT_SIZE, approvalTimeoutSeconds: config.APPROVAL_TIMEOUT_SECONDS },
};

export const handler = taskHandler(convergeCatalogueInputSchema, async (input) => {
  switch (input.action) {
    case 'plan': {
      const plan = await planConvergence(deps, input);
      logger.info('convergence planned', { ...plan.totals, guard: plan.guard.outcome, segments: plan.segments.length });
      return plan;
    }
    case 'segment':
      return listSegment(deps, input);
    case 'employee':
      return prepareEmployee(deps, input);
    case 'grant':
      return grantAdded(deps, input);
    case 'summarise':
      return summarise(input);
  }
});

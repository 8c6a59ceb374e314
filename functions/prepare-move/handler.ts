import { z } from 'zod';
import { createAuditStore } from '#lib/adapters/dynamodb/audit';
import { catalogueVersionId, roleCatalogue } from '#lib/runtime/catalogue';
import { documentClient } from '#lib/adapters/dynamodb/client';
import { loadConfig } from '#lib/runtime/config';
import { logger } from '#lib/runtime/logger';
import { createMoveStore } from '#lib/adapters/dynamodb/employees/move';
import { prepareMove } from '#lib/domain/mover/prepare-move';
import { prepareMoveInputSchema, type PreparedMove } from '#lib/domain/mover/schemas';
import { createRequestRepository } from '#lib/adapters/dynamodb/requests';
import { taskHandler } from '#lib/runtime/task-handler';
import { identitystoreClient } from '#lib/adapters/aws/clients/identitystore';
import { createIdentityStore } from '#lib/adapters/aws/identitystore';
import { identityConfigSchema } from '#lib/runtime/provision-config';

/**
 * Prepare Move: old role (employees table, else previousRole), what the new role adds, the
 * policy's decision, whether a workstation is launched or kept; audits request.received and
 * policy.decided; a changed work e-mail updates the Identity Store user. Returns $.request. ValidationError (unknown person or role) and
 * MissingApproverError are not retried: the state machine records a rejection.
 */
const config = loadConfig(
  identityConfigSchema.extend({
    REQUESTS_TABLE_NAME: z.string().min(1),
    EMPLOYEES_TABLE_NAME: z.string().min(1),
    GRANTS_TABLE_NAME: z.string().min(1),
    AUDIT_TABLE_NAME: z.string().min(1),
    APPROVAL_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(365 * 24 * 60 * 60).default(259_200),
    MOVER_OVERLAP_SECONDS: z.coerce.number().int().min(0).max(30 * 24 * 60 * 60).default(0),
  }),
);
const clock = { now: () => new Date() };

const deps = {
  catalogue: roleCatalogue,
  catalogueVersion: catalogueVersionId,
  requests: createRequestRepository({ client: documentClient, tableName: config.REQUESTS_TABLE_NAME }),
  store: createMoveStore({ client: documentClient, employeesTable: config.EMPLOYEES_TABLE_NAME, grantsTable: config.GRANTS_TABLE_NAME }),
  audit: createAuditStore({ client: documentClient, tableName: config.AUDIT_TABLE_NAME, clock }),
  identity: createIdentityStore({ client: identitystoreClient, identityStoreId: config.IDENTITY_STORE_ID }),
  clock,
  settings: { approvalTimeoutSeconds: config.APPROVAL_TIMEOUT_SECONDS, overlapSeconds: config.MOVER_OVERLAP_SECONDS },
};

export const handler = taskHandler(prepareMoveInputSchema, async (input): Promise<PreparedMove> => {
  logger.appendKeys({ employeeId: input.event.employee.employeeId, requestId: input.executionName });
  const move = await prepareMove(deps, input);
  logger.info('move prepared', { moved: move.moved, fromRole: move.fromRole, toRole: move.toRole, decision: move.decision.decision });
  return move;
});

import { z } from 'zod';
import { documentClient } from '#lib/adapters/dynamodb/client';
import { ec2Client } from '#lib/adapters/aws/clients/ec2';
import { identitystoreClient } from '#lib/adapters/aws/clients/identitystore';
import { loadConfig } from '#lib/runtime/config';
import { createAuditStore } from '#lib/adapters/dynamodb/audit';
import { COMPENSATED_WORKFLOWS, compensateJoiner, compensationDraft, type CompensationRequest } from '#lib/domain/provision/compensation';
import { compensationConfigSchema } from '#lib/runtime/provision-config';
import { createIdentityStore } from '#lib/adapters/aws/identitystore';
import { joinerResultsSchema, provisionEntitlementSchema, taskIds } from '#lib/domain/provision/schemas';
import { createUserOwnership } from '#lib/adapters/dynamodb/employees/ownership';
import { createWorkstations } from '#lib/adapters/aws/ec2';
import { taskHandler } from '#lib/runtime/task-handler';

/**
 * Undo Provisioning (joiner) / Undo New Access (mover): undoes what this request created,
 * newest first, and writes a compensation.applied audit entry per undo, worded for the
 * `workflow` the ASL names (default joiner). Safe to run again. Returns { actions }.
 */

const config = loadConfig(compensationConfigSchema);
const identity = createIdentityStore({ client: identitystoreClient, identityStoreId: config.IDENTITY_STORE_ID });
const workstations = createWorkstations({ client: ec2Client });
const ownership = createUserOwnership({ client: documentClient, tableName: config.EMPLOYEES_TABLE_NAME, clock: { now: () => new Date() } });
const audit = createAuditStore({ client: documentClient, tableName: config.AUDIT_TABLE_NAME, clock: { now: () => new Date() } });

const inputSchema = z.object({
  ...taskIds,
  executionId: z.string().min(1).max(256),
  employee: z.looseObject({ email: z.email() }).optional(),
  entitlements: z.array(provisionEntitlementSchema),
  error: z.looseObject({ Error: z.string().optional() }).optional(),
  results: joinerResultsSchema.default({}),
  workflow: z.enum(COMPENSATED_WORKFLOWS).optional(),
});

export const handler = taskHandler(inputSchema, async (input) => {
  const request: CompensationRequest = {
    requestId: input.requestId,
    employeeId: input.employeeId,
    executionId: input.executionId,
    ...(input.employee ? { userName: input.employee.email } : {}),
    ...(input.error?.Error ? { errorName: input.error.Error } : {}),
    ...(input.workflow ? { workflow: input.workflow } : {}),
    entitlements: input.entitlements,
    results: input.results,
  };
  return compensateJoiner(request, {
    identity,
    workstations,
    ownership,
    record: async (record) => void (await audit.append(compensationDraft(request, record))),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: Date.now,
  });
});

import { documentClient } from '#lib/adapters/dynamodb/client';
import { ec2Client } from '#lib/adapters/aws/clients/ec2';
import { identitystoreClient } from '#lib/adapters/aws/clients/identitystore';
import { loadConfig } from '#lib/runtime/config';
import { createAuditStore } from '#lib/adapters/dynamodb/audit';
import { compensateJoiner, compensationDraft, type CompensationRequest } from '#lib/domain/provision/compensation';
import { compensationConfigSchema } from '#lib/runtime/provision-config';
import { createIdentityStore } from '#lib/adapters/aws/identitystore';
import { compensateProvisioningInputSchema } from '#lib/tasks/compensate-provisioning';
import { createUserOwnership } from '#lib/adapters/dynamodb/employees/ownership';
import { createWorkstations } from '#lib/adapters/aws/ec2';
import { taskHandler } from '#lib/runtime/task-handler';

/** Undo Provisioning / Undo New Access (contract and steps: lib/tasks/compensate-provisioning.ts). */

const config = loadConfig(compensationConfigSchema);
const identity = createIdentityStore({ client: identitystoreClient, identityStoreId: config.IDENTITY_STORE_ID });
const workstations = createWorkstations({ client: ec2Client });
const ownership = createUserOwnership({ client: documentClient, tableName: config.EMPLOYEES_TABLE_NAME, clock: { now: () => new Date() } });
const audit = createAuditStore({ client: documentClient, tableName: config.AUDIT_TABLE_NAME, clock: { now: () => new Date() } });

export const handler = taskHandler(compensateProvisioningInputSchema, async (input) => {
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

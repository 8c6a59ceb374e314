import { z } from 'zod';
import { createAuditStore } from '#lib/adapters/dynamodb/audit';
import { documentClient } from '#lib/adapters/dynamodb/client';
import { loadConfig } from '#lib/runtime/config';
import { createLeaveStore } from '#lib/adapters/dynamodb/employees/leave';
import { createTimeBoundRequests } from '#lib/adapters/dynamodb/requests';
import { markLeft, recordLeave } from '#lib/domain/leaver/record-leave';
import { recordLeaveInputSchema } from '#lib/tasks/record-leave';
import { taskHandler } from '#lib/runtime/task-handler';
import { createPeopleDirectory } from '#lib/adapters/dynamodb/employees/notified';
import { notifier } from '#lib/runtime/notifications';

/** Record Leave and Mark Employee Left (contract and steps: lib/tasks/record-leave.ts). */
const config = loadConfig(z.object({ EMPLOYEES_TABLE_NAME: z.string().min(1), AUDIT_TABLE_NAME: z.string().min(1), REQUESTS_TABLE_NAME: z.string().min(1) }));
const clock = { now: () => new Date() };
const deps = {
  store: createLeaveStore({ client: documentClient, employeesTable: config.EMPLOYEES_TABLE_NAME }),
  audit: createAuditStore({ client: documentClient, tableName: config.AUDIT_TABLE_NAME, clock }),
  requests: createTimeBoundRequests({ client: documentClient, tableName: config.REQUESTS_TABLE_NAME }),
  clock,
  notices: {
    notify: notifier(),
    people: createPeopleDirectory({ client: documentClient, employeesTable: config.EMPLOYEES_TABLE_NAME, requestsTable: config.REQUESTS_TABLE_NAME }),
  },
};

export const handler = taskHandler(recordLeaveInputSchema, async (input) =>
  input.action === 'mark-left' ? markLeft(deps, input) : recordLeave(deps, input),
);

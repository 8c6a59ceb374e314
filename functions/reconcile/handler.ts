import { z } from 'zod';
import { createAuditStore } from '#lib/adapters/dynamodb/audit';
import { roleCatalogue } from '#lib/runtime/catalogue';
import { documentClient } from '#lib/adapters/dynamodb/client';
import { ec2Client } from '#lib/adapters/aws/clients/ec2';
import { identitystoreClient } from '#lib/adapters/aws/clients/identitystore';
import { ssoAdminClient } from '#lib/adapters/aws/clients/sso-admin';
import { createAccountAssignments, createAssignmentReader } from '#lib/adapters/aws/sso-admin';
import { settleAssignments } from '#lib/domain/account-assignments/settle';
import type { AssignmentRemover } from '#lib/domain/reconcile/ports';
import { setTimeout as pause } from 'node:timers/promises';
import { accountAssignmentsEnvSchema } from '#lib/tasks/account-assignments';
import { sesv2Client } from '#lib/adapters/aws/clients/sesv2';
import { loadConfig } from '#lib/runtime/config';
import { logger } from '#lib/runtime/logger';
import { createIdentityStore } from '#lib/adapters/aws/identitystore';
import { createWorkstations } from '#lib/adapters/aws/ec2';
import { createInventory } from '#lib/adapters/aws/reconcile-inventory';
import { createOperatorMailer, createReviewTagger } from '#lib/adapters/aws/ses-operator-mailer';
import { createRunLog } from '#lib/adapters/dynamodb/audit-run-log';
import { createReconciliation } from '#lib/domain/reconcile/run';
import { taskHandler } from '#lib/runtime/task-handler';

/**
 * Reconcile. Report mode (the daily schedule, `{}`): audit each finding, e-mail operators once
 * per run date. Remove mode (an operator, `npm run gatehouse -- reconcile --remove --confirm <fp>`):
 * act on exactly the reviewed plan, or refuse, or stop at the mass-deletion guard. docs/reconciliation.md.
 */
const config = loadConfig(
  z.object({
    IDENTITY_STORE_ID: z.string().min(1),
    SSO_INSTANCE_ARN: accountAssignmentsEnvSchema.shape.SSO_INSTANCE_ARN,
    EMPLOYEES_TABLE_NAME: z.string().min(1),
    GRANTS_TABLE_NAME: z.string().min(1),
    AUDIT_TABLE_NAME: z.string().min(1),
    MAIL_FROM: z.email(),
    OPERATOR_EMAIL: z.email(),
    /** Largest share of existing Identity Store users one run may delete. */
    MAX_REMOVAL_SHARE: z.coerce.number().min(0).max(1).default(0.1),
  }),
);
const clock = { now: () => new Date() };
const identityStoreId = config.IDENTITY_STORE_ID;
const sso = createAccountAssignments(ssoAdminClient, config.SSO_INSTANCE_ARN);
/** Remove mode: each unexpected assignment deleted and its status polled (every 2 s, at most 2 minutes; the function has 15). */
const assignments: AssignmentRemover = {
  remove: (userId, employeeId, target) =>
    settleAssignments(
      // The finding names the user already: the principal lookup answers with it.
      { sso, principals: { userIdOf: () => Promise.resolve(userId) }, waitSeconds: 2, pause: (seconds) => pause(seconds * 1000), deadlineSeconds: 120, now: () => new Date() },
      { employeeId, userName: userId, action: 'delete', targets: [target] },
    ),
};
const reconciliation = createReconciliation({
  catalogue: roleCatalogue,
  inventory: createInventory({ identityStore: identitystoreClient, identityStoreId, ec2: ec2Client, dynamo: documentClient, employeesTable: config.EMPLOYEES_TABLE_NAME, grantsTable: config.GRANTS_TABLE_NAME, assignments: createAssignmentReader(ssoAdminClient, config.SSO_INSTANCE_ARN) }),
  audit: createAuditStore({ client: documentClient, tableName: config.AUDIT_TABLE_NAME, clock }),
  runLog: createRunLog({ client: documentClient, tableName: config.AUDIT_TABLE_NAME }),
  mailer: createOperatorMailer({ client: sesv2Client, from: config.MAIL_FROM, to: config.OPERATOR_EMAIL }),
  identity: createIdentityStore({ client: identitystoreClient, identityStoreId }),
  workstations: createWorkstations({ client: ec2Client }),
  review: createReviewTagger(ec2Client),
  assignments,
  policy: { maxShare: config.MAX_REMOVAL_SHARE },
  clock,
});

const inputSchema = z
  .object({
    mode: z.enum(['report', 'remove']).default('report'),
    runDate: z.iso.date().optional(),
    /** The plan fingerprint report mode printed; remove mode only. */
    confirm: z.string().regex(/^[0-9a-f]{16}$/, 'confirm must be the 16-hex-character plan fingerprint').optional(),
    /** Who asked (recorded as the operator actor); the invoker is also in CloudTrail. */
    requestedBy: z.string().regex(/^[\x21-\x7e]{1,254}$/).optional(),
  })
  .refine((input) => input.mode !== 'remove' || input.confirm !== undefined, { path: ['confirm'], message: 'remove mode needs confirm: the fingerprint of the reviewed plan' });

export const handler = taskHandler(inputSchema, async (input) => {
  const runDate = input.runDate ?? clock.now().toISOString().slice(0, 10);
  if (input.mode === 'report') {
    const result = await reconciliation.report(runDate);
    logger.info('reconciliation reported', { runDate, findings: result.findings.length, fingerprint: result.plan.fingerprint, guard: result.plan.guard.outcome, mail: result.mail });
    return result;
  }
  const result = await reconciliation.remove(runDate, input.confirm ?? '', input.requestedBy ?? 'unknown');
  // The stack's metric filter counts this line: the ReconcileRemovalBlocked alarm.
  if (result.outcome === 'blocked') logger.warn('reconciliation removal blocked', { runDate, reason: result.reason, fingerprint: result.fingerprint });
  else logger.info('reconciliation remove', { runDate, outcome: result.outcome, removed: result.removed.length });
  return result;
});

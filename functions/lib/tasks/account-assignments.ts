import { z } from 'zod';
import { employeeIdSchema } from '../domain/events/employee-events.ts';
import { assignmentActionSchema, progressSchema } from '../domain/account-assignments/progress.ts';
import { assignmentTargetSchema } from '../domain/account-assignments/targets.ts';

/**
 * Input of functions/account-assignments ("Assign Accounts" / "Check Account Assignments" and the
 * revoke path's "Remove Account Assignments" / "Check Account Removals"): the first turn names the
 * action and its targets, every later turn hands back the progress the previous turn returned.
 */
export const accountAssignmentsInputSchema = z
  .object({
    requestId: z.string().min(1).max(128),
    employeeId: employeeIdSchema,
    userName: z.string().min(1).max(254).nullable(),
    action: assignmentActionSchema.optional(),
    targets: z.array(assignmentTargetSchema).max(200).optional(),
    /** With action delete and no targets: every assignment the user holds (the leaver). */
    allHeld: z.literal(true).optional(),
    progress: progressSchema.optional(),
    /** "Undo Account Assignments" / "Check Account Undo": delete again what the create `progress` made (domain/account-assignments/undo.ts). */
    undo: z.literal(true).optional(),
    executionId: z.string().min(1).max(256).optional(),
    executionName: z.string().min(1).max(80).optional(),
  })
  .refine((input) => !input.undo || (input.progress !== undefined && input.executionId !== undefined), {
    message: 'an undo takes progress (the creates to undo, then its own) and executionId',
    path: ['undo'],
  })
  .refine((input) => (input.progress === undefined) === (input.action !== undefined && (input.targets !== undefined || (input.allHeld === true && input.action === 'delete'))), {
    message: 'give either action and targets, or action delete and allHeld (first turn), or progress (later turns)',
    path: ['progress'],
  });
export type AccountAssignmentsInput = z.infer<typeof accountAssignmentsInputSchema>;

/** Environment of functions/account-assignments. */
export const accountAssignmentsEnvSchema = z.object({
  /** The undo audits each removal (compensation.applied). */
  AUDIT_TABLE_NAME: z.string().min(1).optional(),
  IDENTITY_STORE_ID: z.string().min(1),
  /** arn:aws:sso:::instance/ssoins-<16> (context `ssoInstanceArn`). */
  SSO_INSTANCE_ARN: z.string().regex(/^arn:(aws|aws-us-gov|aws-cn|aws-iso|aws-iso-b):sso:::instance\/(sso)?ins-[a-zA-Z0-9-.]{16}$/, 'must be an IAM Identity Center instance ARN'),
  /** Seconds between status checks; assignments usually settle in seconds. */
  ACCOUNT_ASSIGNMENT_POLL_SECONDS: z.coerce.number().int().min(1).max(300).default(2),
});

/** $.results.accounts (and $.results.oldAccounts, $.accounts): the Choice reads `state`, the Wait `waitSeconds`, Record Failure `error`. */
export const accountAssignmentsOutputSchema = progressSchema;

/**
 * What `functions/account-assignments` does (its Lambda description, read by infra/spec/functions) and the ASL
 * Task states that run it (test/unit/architecture/task-contracts.test.ts checks both against the ASL).
 */
export const TASK = {
  description:
    'Assign Accounts / Check Account Assignments (and removals; the leaver removes all the user holds): one turn of the Wait+check loop over CreateAccountAssignment / DeleteAccountAssignment.',
  states: [
    'Assign Added Accounts',
    'Check Added Accounts',
    'Remove Old Account Assignments',
    'Check Old Account Removals',
    'Assign Accounts',
    'Check Account Assignments',
    'Remove Account Assignments',
    'Check Account Removals',
    'Assign New Role Accounts',
    'Check New Role Accounts',
    'Undo Account Assignments',
    'Check Account Undo',
  ],
} as const;

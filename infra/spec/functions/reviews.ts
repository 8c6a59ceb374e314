import type { FunctionSpec } from '../functions.ts';
import { TASK as reviewCampaignTask } from '../../../functions/lib/tasks/review-campaign.ts';
import { TASK as revokeReviewedAccessTask } from '../../../functions/lib/tasks/revoke-reviewed-access.ts';

/** The review revocation path's Identity Store calls (remediate.ts), for every function that runs it. */
const REVOKE_MEMBERSHIP = { service: 'identitystore', actions: ['GetUserId', 'DescribeUser', 'GetGroupId', 'GetGroupMembershipId', 'DeleteGroupMembership'] } as const;

/** Functions of access reviews (issue #16): statemachines/access-review.asl.json and the reviewers' console routes. */
export const REVIEW_FUNCTIONS: readonly FunctionSpec[] = [
  {
    name: 'review-campaign',
    description: reviewCampaignTask.description,
    invokedBy: 'state-machine',
    // The snapshot reads every active grant (Scan) and every active person, and deletes a retried snapshot's strays; reminders mail reviewers.
    tables: { reviews: 'write-delete', grants: 'read-scan', employees: 'read', audit: 'append' },
    access: [{ service: 'ses', actions: ['SendEmail'] }],
    env: ['APPROVAL_BASE_URL', 'MAIL_FROM'],
    timeoutSeconds: 300,
    memoryMiB: 1024,
  },
  {
    name: 'revoke-reviewed-access',
    description: revokeReviewedAccessTask.description,
    invokedBy: 'state-machine',
    tables: { reviews: 'write', grants: 'update', audit: 'append' },
    // Account assignments: the permission set deleted and its deletion status polled (remediate.ts, account-assignments/settle.ts).
    access: [
      REVOKE_MEMBERSHIP,
      { service: 'sso', actions: ['ListPermissionSets', 'DescribePermissionSet', 'ListAccountAssignmentsForPrincipal', 'DeleteAccountAssignment', 'DescribeAccountAssignmentDeletionStatus'] },
    ],
    env: ['IDENTITY_STORE_ID', 'SSO_INSTANCE_ARN'],
    timeoutSeconds: 90,
  },
  {
    name: 'console-reviews',
    description: 'GET /api/reviews, POST /api/reviews/{campaignId}/decisions: the reviewer queue, bulk decisions as the signed-in reviewer; a final revoke removes the access at once (remediate.ts).',
    invokedBy: 'http',
    tables: { reviews: 'write', grants: 'update', audit: 'append' },
    // The review revocation path, as revoke-reviewed-access runs it.
    access: [REVOKE_MEMBERSHIP],
    env: ['IDENTITY_STORE_ID'],
    timeoutSeconds: 15,
  },
  {
    name: 'console-campaigns',
    description: 'GET/POST /api/review-campaigns, POST /api/review-campaigns/{campaignId}/remind|close|pause|resume, GET /api/review-campaigns/{campaignId} (evidence) (operators): campaigns and recurring campaigns in the console.',
    invokedBy: 'http',
    // Reports read the campaign's audit entries by subject (Query); reminders append review.reminded and mail the reviewers' links.
    tables: { reviews: 'write', audit: 'append' },
    access: [
      { service: 'states', actions: ['StartExecution', 'ListExecutions'], stateMachines: ['access-review'] },
      { service: 'ses', actions: ['SendEmail'] },
      // Recurring campaigns: review-<name> schedules that start the access-review machine.
      { service: 'scheduler', actions: ['CreateSchedule', 'GetSchedule', 'UpdateSchedule', 'ListSchedules'], targets: ['access-review'] },
    ],
    env: ['OPERATOR_GROUP', 'APPROVAL_BASE_URL', 'MAIL_FROM'],
    timeoutSeconds: 30,
  },
  {
    name: 'review-page',
    description: 'GET/POST /reviews/{campaignId}/{linkId}: the e-mailed reviewer page (GET reads only; POST decides with CSRF, as the reviewer the link was sent to, until it expires); a final revoke removes the access at once.',
    invokedBy: 'http',
    tables: { reviews: 'write', grants: 'update', audit: 'append' },
    access: [REVOKE_MEMBERSHIP],
    env: ['IDENTITY_STORE_ID'],
    timeoutSeconds: 10,
  },
];

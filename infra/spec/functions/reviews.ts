import type { FunctionSpec } from '../functions.ts';

/** Functions of access reviews (issue #16): statemachines/access-review.asl.json and the reviewers' console routes. */
export const REVIEW_FUNCTIONS: readonly FunctionSpec[] = [
  {
    name: 'review-campaign',
    description: 'Access review "Take Snapshot" / "Check Progress" / "Apply Default Decisions" / "Find Revocations" / "Close Campaign" (lib/tasks/review-campaign.ts).',
    invokedBy: 'state-machine',
    // The snapshot reads every active grant (Scan) and every active person; reminders mail reviewers.
    tables: { reviews: 'write', grants: 'read-scan', employees: 'read', audit: 'append' },
    access: [{ service: 'ses', actions: ['SendEmail'] }],
    env: ['APPROVAL_BASE_URL', 'MAIL_FROM'],
    timeoutSeconds: 300,
    memoryMiB: 1024,
  },
  {
    name: 'revoke-reviewed-access',
    description: 'Access review "Revoke Item": close the grant, remove the membership nothing else justifies, grant.revoked; finding for role-sourced items.',
    invokedBy: 'state-machine',
    tables: { reviews: 'write', grants: 'update', audit: 'append' },
    access: [{ service: 'identitystore', actions: ['GetUserId', 'DescribeUser', 'GetGroupId', 'GetGroupMembershipId', 'DeleteGroupMembership'] }],
    env: ['IDENTITY_STORE_ID'],
  },
  {
    name: 'console-reviews',
    description: 'GET /api/reviews, POST /api/reviews/{campaignId}/decisions, GET /api/reviews/{campaignId}: the reviewer queue, bulk decisions as the signed-in reviewer, progress for operators.',
    invokedBy: 'http',
    tables: { reviews: 'write', audit: 'append' },
    env: ['OPERATOR_GROUP'],
    timeoutSeconds: 15,
  },
  {
    name: 'review-page',
    description: 'GET/POST /reviews/{campaignId}/{linkId}: the e-mailed reviewer page (GET reads only; POST decides with CSRF, as the reviewer the link was sent to, until it expires).',
    invokedBy: 'http',
    tables: { reviews: 'write', audit: 'append' },
    timeoutSeconds: 10,
  },
];

import type { Suite } from '../lib/suite.ts';
import { accountAssignmentsSuite } from './account-assignments.ts';
import { adoptionSuite } from './adoption.ts';
import { auditSuite } from './audit.ts';
import { consoleSuite } from './console.ts';
import { convergenceSuite } from './convergence.ts';
import { floorsSuite } from './floors.ts';
import { functionsSuite } from './functions.ts';
import { hrisClientsSuite } from './hris-clients.ts';
import { joinerSuite } from './joiner.ts';
import { leaverSuite } from './leaver.ts';
import { localCloudSuite } from './local-cloud.ts';
import { moverSuite } from './mover.ts';
import { rateLimitsSuite } from './rate-limits.ts';
import { sfnSuite } from './sfn.ts';
import { webhookSuite } from './webhook.ts';
import { reviewsSuite } from './reviews.ts';

/** Every suite `npm run bench` runs, in order. A new suite is one file plus one entry here. */
export const SUITES: readonly Suite[] = [localCloudSuite, rateLimitsSuite, sfnSuite, webhookSuite, hrisClientsSuite, floorsSuite, joinerSuite, leaverSuite, moverSuite, functionsSuite, auditSuite, consoleSuite, reviewsSuite, accountAssignmentsSuite, convergenceSuite, adoptionSuite];

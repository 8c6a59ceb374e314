import { z } from 'zod';
import { createEc2Observer } from '#lib/adapters/aws/ec2-observer';
import { createWaitStore } from '#lib/adapters/dynamodb/waits';
import { createSfnCallbacks } from '#lib/adapters/aws/sfn-task-callbacks';
import { documentClient } from '#lib/adapters/dynamodb/client';
import { ec2Client } from '#lib/adapters/aws/clients/ec2';
import { sfnClient } from '#lib/adapters/aws/clients/sfn';
import { loadConfig } from '#lib/runtime/config';
import { awaitEc2Event } from '#lib/domain/ec2-waits/await-ec2-event';
import { systemClock } from '#lib/domain/shared/clock';
import { logger } from '#lib/runtime/logger';
import { awaitEc2EventInputSchema } from '#lib/tasks/await-ec2-event';
import { taskHandler } from '#lib/runtime/task-handler';

/** "Wait For Workstation To Run / Stop / Terminate", "Wait For Snapshots": park the token until EC2 says so. */
const config = loadConfig(z.object({ WAITS_TABLE_NAME: z.string().min(1) }));
const deps = {
  store: createWaitStore(documentClient, config.WAITS_TABLE_NAME),
  observer: createEc2Observer(ec2Client),
  resumer: createSfnCallbacks(sfnClient),
  clock: systemClock,
};

export const handler = taskHandler(awaitEc2EventInputSchema, async (input) => {
  const { taskToken, wait, executionName, ...request } = input;
  const result = await awaitEc2Event(deps, { ...request, taskToken, waitKey: `${executionName}/${wait}` });
  logger.info('ec2 wait', { until: input.until, parked: result.parked.length });
  return result;
});

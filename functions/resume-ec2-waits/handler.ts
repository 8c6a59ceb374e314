import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { SFNClient } from '@aws-sdk/client-sfn';
import { z } from 'zod';
import { createWaitStore } from '#lib/adapters/dynamodb/waits';
import { createSfnCallbacks } from '#lib/adapters/aws/sfn-task-callbacks';
import { documentClient } from '#lib/adapters/dynamodb/client';
import { loadConfig } from '#lib/runtime/config';
import { resumeEc2Waits } from '#lib/domain/ec2-waits/await-ec2-event';
import { newsOf } from '#lib/domain/ec2-waits/waits';
import { logger } from '#lib/runtime/logger';

/**
 * Target of the default-bus rule for EC2 instance state-change and EBS snapshot notifications:
 * resumes the tasks parked under the resource. More SDK attempts than the default three: a
 * throttled SendTaskSuccess would otherwise leave the task to its safety poll.
 */
const config = loadConfig(z.object({ WAITS_TABLE_NAME: z.string().min(1) }));
const deps = {
  store: createWaitStore(documentClient, config.WAITS_TABLE_NAME),
  resumer: createSfnCallbacks(new SFNClient({ maxAttempts: 8 })),
};

export const handler = middy<unknown, { resumed: number }>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const news = newsOf(event);
    if (!news) {
      logger.warn('not an EC2 notification this rule expects; ignored');
      return { resumed: 0 };
    }
    const result = await resumeEc2Waits(deps, news);
    logger.info('ec2 notification', { resourceId: news.resourceId, state: news.state, resumed: result.resumed });
    return result;
  });

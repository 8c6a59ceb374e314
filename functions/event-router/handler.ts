import middy from '@middy/core';
import type { EventBridgeEvent } from 'aws-lambda';
import { z } from 'zod';
import { sfnClient } from '#lib/adapters/aws/clients/sfn';
import { loadConfig } from '#lib/runtime/config';
import { employeeEventSchema } from '#lib/domain/events/employee-events';
import { startWorkflow } from '#lib/adapters/aws/sfn-start-workflow';
import { logger } from '#lib/runtime/logger';
import { parseOrThrow } from '#lib/runtime/task-handler';

const config = loadConfig(
  z.object({
    JOINER_STATE_MACHINE_ARN: z.string().startsWith('arn:'),
    MOVER_STATE_MACHINE_ARN: z.string().startsWith('arn:'),
    LEAVER_STATE_MACHINE_ARN: z.string().startsWith('arn:').optional(),
  }),
);

const arns = {
  'employee.hired': config.JOINER_STATE_MACHINE_ARN,
  'employee.changed': config.MOVER_STATE_MACHINE_ARN,
  'employee.left': config.LEAVER_STATE_MACHINE_ARN,
  // A rescinded termination: the leaver's first Choice sends it to Cancel Scheduled Leave.
  'employee.leave.cancelled': config.LEAVER_STATE_MACHINE_ARN,
};

/** EventBridge target: one employee event in, one workflow execution (named after the delivery id) out. */
export const handler = middy<EventBridgeEvent<string, unknown>, void>().handler(async (event) => {
  const employeeEvent = parseOrThrow(employeeEventSchema, event.detail, 'employee event');
  const { started } = await startWorkflow(sfnClient, arns, employeeEvent);
  logger.info(started ? 'workflow started' : 'duplicate delivery: workflow already exists', {
    type: employeeEvent.type,
    executionName: employeeEvent.deliveryId,
  });
});

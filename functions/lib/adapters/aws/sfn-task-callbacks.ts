import { SendTaskFailureCommand, SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { awsErrorName, callAws } from './call-aws.ts';
import type { CallbackResult, TaskCallbacks } from '../../domain/approvals/ports.ts';

const GONE = new Set(['TaskDoesNotExist', 'TaskTimedOut', 'InvalidToken']);

/** A callback answered (`'delivered'`), or the task no longer waits (`'task-gone'`). */
async function answer(delivered: Promise<unknown>): Promise<CallbackResult> {
  try {
    await delivered;
    return 'delivered';
  } catch (error) {
    if (GONE.has(awsErrorName(error) ?? '')) return 'task-gone';
    throw error;
  }
}

export function createSfnCallbacks(client: SFNClient): TaskCallbacks {
  return {
    succeed: (taskToken, output) => answer(callAws('answering the waiting task', () => client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) })))),
    fail: (taskToken, error, cause) => answer(callAws('answering the waiting task', () => client.send(new SendTaskFailureCommand({ taskToken, error, cause })))),
  };
}

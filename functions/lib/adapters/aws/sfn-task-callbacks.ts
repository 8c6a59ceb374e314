import { SendTaskFailureCommand, SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { asTransient, awsErrorName } from './call-aws.ts';
import type { CallbackResult, TaskCallbacks } from '../../domain/approvals/ports.ts';

const GONE = new Set(['TaskDoesNotExist', 'TaskTimedOut', 'InvalidToken']);

async function answer(send: () => Promise<unknown>): Promise<CallbackResult> {
  try {
    await send();
    return 'delivered';
  } catch (error) {
    if (GONE.has(awsErrorName(error) ?? '')) return 'task-gone';
    throw asTransient(error, 'answering the waiting task');
  }
}

export function createSfnCallbacks(client: SFNClient): TaskCallbacks {
  return {
    succeed: (taskToken, output) => answer(() => client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }))),
    fail: (taskToken, error, cause) => answer(() => client.send(new SendTaskFailureCommand({ taskToken, error, cause }))),
  };
}

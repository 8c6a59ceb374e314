import { SendTaskFailureCommand, SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { asTransient, awsErrorName } from './call-aws.ts';

/** `task-gone`: Step Functions no longer waits on the token (timed out, execution ended or stopped). */
export type CallbackResult = 'delivered' | 'task-gone';

/** The port that resumes the waiting task. */
export interface TaskCallbacks {
  succeed(taskToken: string, output: unknown): Promise<CallbackResult>;
  fail(taskToken: string, error: string, cause: string): Promise<CallbackResult>;
}

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

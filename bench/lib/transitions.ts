import type { HistoryEvent, SFNClient } from '@aws-sdk/client-sfn';
import { historyOf } from '../../tools/cli/executions.ts';

/**
 * State transitions of one Standard-workflow execution, counted from GetExecutionHistory.
 *
 * AWS bills Standard workflows per state transition: every time a state is entered, which
 * the history shows as one `<Type>StateEntered` event (TaskStateEntered, ChoiceStateEntered,
 * PassStateEntered, WaitStateEntered, MapStateEntered, SucceedStateEntered, ..., including
 * each state entered inside a Map iteration). The pricing page adds that retries are billed
 * as transitions too; a retry enters no state again, it shows as one more
 * `LambdaFunctionScheduled` / `TaskScheduled` within the same state entry. The joiner's
 * polls (Wait For Workstation, Attach Storage) are such retries, so both figures are kept:
 * `entered` (StateEntered events) and `billed` (entered + retries).
 *
 * Assumes states run one at a time (the joiner's Map has MaxConcurrency 1), so the
 * scheduled events of one state entry are contiguous.
 */
export interface Transitions {
  entered: number;
  retries: number;
  billed: number;
}


export function countTransitions(events: readonly HistoryEvent[]): Transitions {
  let entered = 0;
  let retries = 0;
  let scheduledInState = 0;
  for (const { type = '' } of events) {
    if (type.endsWith('StateEntered')) {
      entered += 1;
      scheduledInState = 0;
    } else if (type === 'LambdaFunctionScheduled' || type === 'TaskScheduled') {
      if (scheduledInState > 0) retries += 1;
      scheduledInState += 1;
    }
  }
  return { entered, retries, billed: entered + retries };
}

export async function transitionsOf(sfn: SFNClient, executionArn: string): Promise<Transitions> {
  return countTransitions(await historyOf(sfn, executionArn));
}

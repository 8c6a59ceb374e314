import { DescribeExecutionCommand, ExecutionDoesNotExist, GetExecutionHistoryCommand, ListStateMachinesCommand, type DescribeExecutionCommandOutput, type SFNClient } from '@aws-sdk/client-sfn';

/**
 * Finding and describing Gatehouse's executions for the CLI. An execution is named after its
 * business id (the HRIS delivery id, the access request id), so the name finds it in whichever
 * `gatehouse-*` state machine ran it.
 */
export type Execution = DescribeExecutionCommandOutput & { machine: string };

/** Gatehouse's state machines: name (joiner, mover, ...) -> ARN. */
export async function gatehouseMachines(sfn: SFNClient): Promise<Map<string, string>> {
  const machines = new Map<string, string>();
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new ListStateMachinesCommand({ ...(nextToken ? { nextToken } : {}) }));
    for (const machine of page.stateMachines ?? []) if (machine.name?.startsWith('gatehouse-')) machines.set(machine.name.slice('gatehouse-'.length), machine.stateMachineArn ?? '');
    nextToken = page.nextToken;
  } while (nextToken);
  return machines;
}

/** The execution arn of `name` under a state machine: `arn:...:stateMachine:<m>` -> `arn:...:execution:<m>:<name>`. */
export const executionArn = (machineArn: string, name: string): string => `${machineArn.replace(':stateMachine:', ':execution:')}:${name}`;

/** The execution called `name` in any Gatehouse state machine, or undefined. */
export async function findExecution(sfn: SFNClient, machines: Map<string, string>, name: string): Promise<Execution | undefined> {
  for (const [machine, arn] of machines) {
    try {
      return { ...(await sfn.send(new DescribeExecutionCommand({ executionArn: executionArn(arn, name) }))), machine };
    } catch (error) {
      if (!(error instanceof ExecutionDoesNotExist)) throw error;
    }
  }
  return undefined;
}

/** The state it is in now (the last state entered), from the newest history events. */
export async function currentStep(sfn: SFNClient, arn: string): Promise<string | undefined> {
  const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn: arn, reverseOrder: true, maxResults: 50 }));
  return page.events?.find((event) => event.stateEnteredEventDetails?.name)?.stateEnteredEventDetails?.name;
}

/**
 * The outcome in words. Workflows name theirs in the output (`outcome`: provisioned, denied,
 * expired, cancelled, `failed: <step>` ...); Step Functions' own status is the fallback and is
 * translated: an ABORTED execution was stopped (by a leaver or an operator), not crashed.
 */
export function outcomeOf(execution: Pick<DescribeExecutionCommandOutput, 'status' | 'output' | 'error' | 'cause'>): string {
  if (execution.status === 'RUNNING') return 'running';
  if (execution.status === 'PENDING_REDRIVE') return 'failed, waiting to be redriven';
  let output: { outcome?: unknown };
  try {
    output = JSON.parse(execution.output ?? '{}') as { outcome?: unknown };
  } catch {
    output = {};
  }
  if (typeof output.outcome === 'string') return output.outcome;
  switch (execution.status) {
    case 'SUCCEEDED':
      return 'finished';
    case 'ABORTED':
      return 'cancelled (the execution was stopped, e.g. by a leaver or an operator)';
    case 'TIMED_OUT':
      return 'failed: timed out';
    default:
      return `failed${execution.error ? `: ${execution.error}` : ''}`;
  }
}

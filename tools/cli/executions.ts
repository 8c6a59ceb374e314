import { isOutcomeWords, outcomeIn } from '../../functions/lib/domain/outcomes/workflow-outcome.ts';
import { DescribeExecutionCommand, ExecutionDoesNotExist, GetExecutionHistoryCommand, ListStateMachinesCommand, type DescribeExecutionCommandOutput, type HistoryEvent, type SFNClient } from '@aws-sdk/client-sfn';

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
 * The outcome in words. Workflows name theirs in the one shape (domain/outcomes/workflow-outcome.ts):
 * `outcome.words` of a succeeded execution's output, the Cause of a failed one (`failed: <step>`,
 * `rejected: <why>`). Step Functions' own status is the fallback (executions from before, or a
 * string `outcome`) and is translated: an ABORTED execution was stopped (by a leaver or an
 * operator), not crashed.
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
  const named = outcomeIn(output);
  if (named) return named.words;
  if (execution.status === 'FAILED' && isOutcomeWords(execution.cause)) return execution.cause;
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

/** The whole history of an execution, every page (the CLI and the bench read it the same way). */
export async function historyOf(sfn: SFNClient, arn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn: arn, maxResults: 1000, ...(nextToken ? { nextToken } : {}) }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

const FAILURE = /(TaskFailed|LambdaFunctionFailed|TaskTimedOut|LambdaFunctionTimedOut|ExecutionFailed)$/;

/** What a finished history says happened: the terminal state, the states it passed, the first step whose failure was caught. */
export function readHistory(events: readonly HistoryEvent[]): { terminal?: string; entered: Set<string>; failedStep?: string } {
  const entered = new Set<string>();
  let current: string | undefined;
  let failing: string | undefined;
  let failedStep: string | undefined;
  for (const event of events) {
    const name = event.stateEnteredEventDetails?.name;
    if (name) {
      if (failing && name !== failing) failedStep ??= failing;
      failing = undefined;
      entered.add(name);
      current = name;
    } else if (event.type && FAILURE.test(event.type) && current) failing = current;
    else if (event.type?.endsWith('Scheduled') && failing === current) failing = undefined; // a retry of the same state
  }
  return { ...(current ? { terminal: current } : {}), entered, ...(failedStep ?? failing ? { failedStep: failedStep ?? failing } : {}) };
}

/**
 * The outcome in words from the history, for executions whose output does not name one: the
 * terminal state says provisioned / moved / denied / ..., an approval that timed out reads
 * "expired", a failure names the step that failed.
 */
export function outcomeFromHistory(execution: Pick<DescribeExecutionCommandOutput, 'status' | 'output' | 'error' | 'cause'>, events: readonly HistoryEvent[]): string {
  const named = outcomeOf(execution);
  if (named !== 'finished' && !named.startsWith('failed') && !named.startsWith('rejected')) return named;
  const { terminal, entered, failedStep } = readHistory(events);
  if (execution.status === 'FAILED' || execution.status === 'TIMED_OUT') {
    const words = isOutcomeWords(execution.cause) ? execution.cause : undefined;
    if (terminal === 'Rejected') return words ?? `rejected: ${execution.cause ?? execution.error ?? 'the request was refused'}`;
    // The history knows the state whose failure was caught; Record Outcome knows only what the error's name says.
    if (!failedStep && words) return words;
    return `failed: ${failedStep ?? terminal ?? execution.error ?? 'unknown step'}${entered.has('Undo Provisioning') ? ' (what was provisioned was undone)' : ''}`;
  }
  if (terminal === 'Denied') return entered.has('Record Expiry') ? 'expired (no approver answered in time)' : 'denied';
  if (terminal === 'Leave Ignored') return 'ignored (an older event than what was applied)';
  return terminal ? terminal.toLowerCase() : named;
}

/** The outcome of a finished execution in words (reads its history); "running" while it runs. */
export async function describeOutcome(sfn: SFNClient, execution: Execution): Promise<string> {
  if (execution.status === 'RUNNING' || !execution.executionArn) return outcomeOf(execution);
  return outcomeFromHistory(execution, await historyOf(sfn, execution.executionArn));
}

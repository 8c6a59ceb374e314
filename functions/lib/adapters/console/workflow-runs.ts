import { GetExecutionHistoryCommand, ListExecutionsCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { callAws } from '../aws/call-aws.ts';
import type { ExecutionRun, Failure, WorkflowRuns } from '../../domain/console/workflows.ts';

/**
 * Step Functions reads for the Workflows page: ListExecutions (newest first, at most 1,000 a page:
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_ListExecutions.html) and the
 * last events of a failed execution's history, where the failing state and its error are.
 */
export function createWorkflowRuns(client: SFNClient, arnOf: (workflow: string) => string): WorkflowRuns {
  return {
    async recent(workflow, limit): Promise<ExecutionRun[]> {
      const out = await callAws('listing executions', () => client.send(new ListExecutionsCommand({ stateMachineArn: arnOf(workflow), maxResults: limit })));
      return (out.executions ?? []).map((e) => ({
        workflow,
        name: e.name ?? '',
        arn: e.executionArn ?? '',
        status: e.status ?? 'UNKNOWN',
        startedAt: (e.startDate ?? new Date(0)).toISOString(),
        stoppedAt: e.stopDate ? e.stopDate.toISOString() : null,
      }));
    },
    async failureOf(executionArn): Promise<Failure> {
      const out = await callAws('reading an execution history', () => client.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 50 })));
      const events = out.events ?? [];
      const failed = events.find((e) => e.executionFailedEventDetails || e.executionTimedOutEventDetails || e.executionAbortedEventDetails);
      const details = failed?.executionFailedEventDetails ?? failed?.executionTimedOutEventDetails ?? failed?.executionAbortedEventDetails;
      const entered = events.find((e) => e.stateEnteredEventDetails?.name);
      return { failedStep: entered?.stateEnteredEventDetails?.name ?? null, error: details ? [details.error, details.cause].filter(Boolean).join(': ').slice(0, 300) : null };
    },
  };
}

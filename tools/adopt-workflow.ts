import { DescribeExecutionCommand, GetExecutionHistoryCommand, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { storeAdoptionPlan } from '../functions/lib/adapters/dynamodb/adoptions.ts';
import type { AdoptionBatch, AdoptionPlanHeader } from '../functions/lib/domain/adoption/batches.ts';
import type { BatchProgress } from '../functions/lib/domain/adoption/workflow.ts';
import { progressSchema } from '../functions/lib/tasks/apply-adoption.ts';
import { CliError } from './cli/errors.ts';
import { executionArn, gatehouseMachines } from './cli/executions.ts';

/**
 * How `gatehouse adopt --apply` hands a reviewed plan to the adoption workflow
 * (statemachines/adoption.asl.json): store it in the adoptions table, start one execution named
 * after the plan, and follow it. StartExecution "is idempotent for STANDARD workflows. For a
 * STANDARD workflow, if you call StartExecution with the same name and input as a running
 * execution, the call succeeds and return the same response as the original request. If the
 * execution is closed or if the input is different, it returns a 400 ExecutionAlreadyExists
 * error" (https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html):
 * the input is only the plan id, so a second apply of the same plan joins the first execution, and
 * after it ended finds it and shows its result, never starting a second one.
 */

export interface AdoptionRun {
  /** DescribeExecution's status: RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED or PENDING_REDRIVE. */
  status: string;
  /** The latest batch's counts (while running, from the execution history). */
  progress?: BatchProgress | undefined;
  /** The execution's output (SUCCEEDED) or its error and cause. */
  output?: string | undefined;
  error?: string | undefined;
}

export interface AdoptionWorkflow {
  store(header: AdoptionPlanHeader, batches: readonly AdoptionBatch[]): Promise<void>;
  /** Starts the plan's execution, or finds the one started before; returns its ARN. */
  start(planId: string): Promise<string>;
  poll(executionArn: string): Promise<AdoptionRun>;
}

export function sfnAdoptionWorkflow(sfn: SFNClient, db: Pick<DynamoDBDocumentClient, 'send'>, adoptionsTable: string, nowSeconds: () => number): AdoptionWorkflow {
  return {
    store: (header, batches) => storeAdoptionPlan({ client: db, tableName: adoptionsTable }, header, batches, nowSeconds()),
    async start(planId) {
      const machine = (await gatehouseMachines(sfn)).get('adoption');
      if (!machine) throw new CliError('no adoption state machine found: deploy the stack (or start the local cloud) first', 3);
      try {
        return (await sfn.send(new StartExecutionCommand({ stateMachineArn: machine, name: planId, input: JSON.stringify({ planId }) }))).executionArn ?? executionArn(machine, planId);
      } catch (error) {
        if (error instanceof Error && error.name === 'ExecutionAlreadyExists') return executionArn(machine, planId);
        throw error;
      }
    },
    async poll(arn) {
      const described = await sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
      const status = described.status ?? 'RUNNING';
      if (status !== 'RUNNING') return { status, output: described.output, error: described.error ?? described.cause };
      // The newest "Apply Next Batch" exit carries the counts so far ($.progress).
      const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn: arn, reverseOrder: true, maxResults: 20 }));
      for (const event of history.events ?? []) {
        const exited = event.stateExitedEventDetails;
        if (event.type !== 'TaskStateExited' || exited?.name !== 'Apply Next Batch' || !exited.output) continue;
        const parsed = progressSchema.safeParse((JSON.parse(exited.output) as { progress?: unknown }).progress);
        if (parsed.success) return { status, progress: parsed.data };
      }
      return { status };
    },
  };
}

import { ExecutionAlreadyExists, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { DomainError } from '#lib/domain/shared/errors';
import { callAws } from './call-aws.ts';
import type { EmployeeEvent } from '#lib/domain/events/employee-events';

/** An event type whose workflow is not deployed: retried, then dead-lettered, never dropped. */
export class NoWorkflowError extends DomainError {
  readonly statusCode = 500;
}

export type WorkflowArns = Partial<Record<EmployeeEvent['type'], string>>;

/**
 * Starts the workflow for an employee event. The execution name is the HRIS delivery id,
 * so a delivery seen twice starts one execution: ExecutionAlreadyExists means done.
 */
export async function startWorkflow(client: SFNClient, arns: WorkflowArns, event: EmployeeEvent): Promise<{ started: boolean }> {
  const stateMachineArn = arns[event.type];
  if (!stateMachineArn) throw new NoWorkflowError(`no workflow is deployed for ${event.type}`);
  try {
    await callAws('starting the workflow', () => client.send(new StartExecutionCommand({ stateMachineArn, name: event.deliveryId, input: JSON.stringify(event) })));
    return { started: true };
  } catch (error) {
    if (error instanceof ExecutionAlreadyExists) return { started: false };
    throw error;
  }
}

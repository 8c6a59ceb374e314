import { DescribeExecutionCommand, ExecutionAlreadyExists, ExecutionDoesNotExist, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { callAws } from './call-aws.ts';
import type { EmployeeStatus, LeaverWorkflow } from '../../domain/operator/kill-switch.ts';

/** The kill switch's view of the employees table: status, and when and by which execution they left. */
export function employeeStatuses(client: DynamoDBDocumentClient, tableName: string): { statusOf(employeeId: string): Promise<EmployeeStatus | undefined> } {
  const item = z.object({ status: z.string().default('active'), leftAt: z.string().optional(), leftBy: z.string().optional() });
  return {
    async statusOf(employeeId) {
      const out = await callAws('reading the employee', () => client.send(new GetCommand({ TableName: tableName, Key: { employeeId }, ConsistentRead: true })));
      if (!out.Item) return undefined;
      return item.parse(out.Item);
    },
  };
}

/** `arn:…:stateMachine:<name>` -> `arn:…:execution:<name>:<execution>`. */
export const executionArnOf = (stateMachineArn: string, executionName: string): string =>
  `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${executionName}`;

/** The leaver state machine, started directly (no EventBridge). */
export function leaverWorkflow(client: SFNClient, stateMachineArn: string): LeaverWorkflow {
  const inputSchema = z.object({ employeeId: z.string() });
  return {
    async start(executionName, event) {
      try {
        await callAws('starting the leaver', () => client.send(new StartExecutionCommand({ stateMachineArn, name: executionName, input: JSON.stringify(event) })));
        return 'started';
      } catch (error) {
        if (error instanceof ExecutionAlreadyExists) return 'exists';
        throw error;
      }
    },
    async describe(executionName) {
      try {
        const out = await callAws('reading the leaver execution', () =>
          client.send(new DescribeExecutionCommand({ executionArn: executionArnOf(stateMachineArn, executionName) })),
        );
        const input = inputSchema.safeParse(JSON.parse(out.input ?? '{}'));
        return { status: out.status ?? 'UNKNOWN', ...(input.success ? { employeeId: input.data.employeeId } : {}) };
      } catch (error) {
        if (error instanceof ExecutionDoesNotExist) return undefined;
        throw error;
      }
    },
  };
}

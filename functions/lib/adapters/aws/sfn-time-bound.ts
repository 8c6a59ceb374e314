import { DescribeExecutionCommand, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { awsErrorName, callAws } from './call-aws.ts';
import type { ExtendRequest, GrantRequest, RevokeRequest } from '../../domain/time-bound/schemas.ts';

/**
 * Starts time-bound executions named after the request (grant) or `<requestId>-revoke`
 * (early revoke). Step Functions keeps names unique for 90 days, so a replay starts nothing:
 * `exists`, and `inputOf` tells the caller what the first start carried.
 */
export interface AccessWorkflows {
  start(name: string, input: GrantRequest | ExtendRequest | RevokeRequest): Promise<'started' | 'exists'>;
  /** The input an execution was started with; undefined when there is no such execution. */
  inputOf(name: string): Promise<unknown>;
}

export const revokeExecutionName = (requestId: string): string => `${requestId}-revoke`;

export function createAccessWorkflows(options: { client: Pick<SFNClient, 'send'>; stateMachineArn: string }): AccessWorkflows {
  const { client, stateMachineArn } = options;
  const executionArn = (name: string): string => `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  return {
    async start(name, input) {
      try {
        await callAws('starting the time-bound workflow', () => client.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) })));
        return 'started';
      } catch (error) {
        if (awsErrorName(error) === 'ExecutionAlreadyExists') return 'exists';
        throw error;
      }
    },

    async inputOf(name) {
      try {
        const out = await callAws('reading the time-bound workflow', () => client.send(new DescribeExecutionCommand({ executionArn: executionArn(name) })));
        return out.input === undefined ? undefined : (JSON.parse(out.input) as unknown);
      } catch (error) {
        if (awsErrorName(error) === 'ExecutionDoesNotExist') return undefined;
        throw error;
      }
    },
  };
}

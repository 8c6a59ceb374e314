import { ExecutionAlreadyExists, ListExecutionsCommand, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { CampaignRuns } from '../../domain/reviews/ports.ts';
import { callAws } from './call-aws.ts';

/**
 * The access-review state machine as the operators' tools see it (console, CLI): a campaign is
 * an execution named after its campaign id, so a second start of the same id is refused by Step
 * Functions itself (ExecutionAlreadyExists for a different input, or an idempotent answer for the
 * same input while it runs: https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html).
 */
export function createCampaignRuns(client: Pick<SFNClient, 'send'>, stateMachineArn: string): CampaignRuns {
  return {
    async start(campaignId, definition) {
      try {
        await callAws('starting the access review', () => client.send(new StartExecutionCommand({ stateMachineArn, name: campaignId, input: JSON.stringify({ campaign: definition }) })));
        return 'started';
      } catch (error) {
        if (error instanceof ExecutionAlreadyExists) return 'exists';
        throw error;
      }
    },
    async recent(limit) {
      // ListExecutions answers newest first, at most 1,000 per page.
      const page = await callAws('listing access reviews', () => client.send(new ListExecutionsCommand({ stateMachineArn, maxResults: Math.min(Math.max(limit, 1), 1000) })));
      return (page.executions ?? []).map((execution) => ({ campaignId: execution.name ?? '', status: execution.status ?? 'UNKNOWN', startedAt: execution.startDate?.toISOString() ?? '' }));
    },
  };
}

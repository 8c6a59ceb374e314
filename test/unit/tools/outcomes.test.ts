import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { outcomeFromHistory, outcomeOf } from '../../../tools/cli/executions.ts';

/** Outcomes in words, from what Step Functions records: the terminal state, the states passed, the step whose failure was caught. */
let id = 0;
const entered = (name: string): HistoryEvent => ({ id: ++id, timestamp: new Date(), type: 'TaskStateEntered', stateEnteredEventDetails: { name } });
const event = (type: string): HistoryEvent => ({ id: ++id, timestamp: new Date(), type: type as HistoryEvent['type'] });

describe('outcomes in words', () => {
  it.each([
    ['provisioned', 'SUCCEEDED', ['Prepare Request', 'Create Identity Center User', 'Notify', 'Provisioned']],
    ['denied', 'SUCCEEDED', ['Prepare Request', 'Ask Approvers In Order', 'Record Denial', 'Denied']],
    ['expired (no approver answered in time)', 'SUCCEEDED', ['Prepare Request', 'Ask Approvers In Order', 'Record Expiry', 'Denied']],
    ['moved', 'SUCCEEDED', ['Prepare Move', 'Moved']],
    ['access removed', 'SUCCEEDED', ['Decide When Access Ends', 'Access Removed']],
    ['ignored (an older event than what was applied)', 'SUCCEEDED', ['Decide When Access Ends', 'Leave Ignored']],
  ])('%s', (outcome, status, states) => {
    expect(outcomeFromHistory({ status: status as 'SUCCEEDED' }, states.map(entered))).toBe(outcome);
  });

  it('names the step whose failure was caught, not one that succeeded on a retry', () => {
    const events = [
      entered('Prepare Request'),
      entered('Create Identity Center User'),
      event('LambdaFunctionFailed'), // retried, then succeeded
      event('LambdaFunctionScheduled'),
      event('LambdaFunctionSucceeded'),
      entered('Launch Workstation'),
      event('LambdaFunctionFailed'),
      event('LambdaFunctionScheduled'),
      event('LambdaFunctionFailed'), // retries exhausted: caught
      entered('Undo Provisioning'),
      entered('Record Failure'),
      entered('Failed'),
      event('ExecutionFailed'),
    ];
    expect(outcomeFromHistory({ status: 'FAILED', error: 'ProvisioningFailed' }, events)).toBe('failed: Launch Workstation (what was provisioned was undone)');
  });

  it('says rejected with the cause, cancelled for a stopped execution, running while it runs', () => {
    expect(outcomeFromHistory({ status: 'FAILED', error: 'RequestRejected', cause: 'no valid approver' }, [entered('Prepare Request'), entered('Record Rejection'), entered('Rejected')])).toBe('rejected: no valid approver');
    expect(outcomeOf({ status: 'ABORTED' })).toMatch(/^cancelled/);
    expect(outcomeOf({ status: 'RUNNING' })).toBe('running');
  });

  it('prefers an outcome the workflow wrote in its output', () => {
    expect(outcomeFromHistory({ status: 'SUCCEEDED', output: '{"outcome":"provisioned, start date in the past"}' }, [entered('Provisioned')])).toBe('provisioned, start date in the past');
  });

  it('reads the one outcome shape: outcome.words of an output, the Cause of a failed run, the history\'s step first', () => {
    const output = JSON.stringify({ employeeId: 'E-1', outcome: { result: 'unchanged', words: 'nothing to move (the role did not change)' } });
    expect(outcomeOf({ status: 'SUCCEEDED', output })).toBe('nothing to move (the role did not change)');
    expect(outcomeOf({ status: 'FAILED', error: 'LeaveFailed', cause: 'failed: Leaver workflow' })).toBe('failed: Leaver workflow');
    expect(outcomeFromHistory({ status: 'FAILED', error: 'RequestRejected', cause: 'rejected: ValidationError' }, [entered('Record Rejection'), entered('Rejected')])).toBe('rejected: ValidationError');
    const caught = [entered('Revoke Memberships'), event('LambdaFunctionFailed'), entered('Record Failure'), entered('Leave Failed')];
    expect(outcomeFromHistory({ status: 'FAILED', error: 'LeaveFailed', cause: 'failed: Leaver workflow' }, caught)).toBe('failed: Revoke Memberships');
    expect(outcomeFromHistory({ status: 'FAILED', error: 'LeaveFailed', cause: 'failed: Leaver workflow' }, [entered('Record Failure'), entered('Leave Failed')])).toBe('failed: Leaver workflow');
  });
});

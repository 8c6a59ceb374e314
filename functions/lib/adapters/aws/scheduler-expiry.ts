import { DeleteScheduleCommand, type SchedulerClient } from '@aws-sdk/client-scheduler';
import { awsErrorName, callAws } from './call-aws.ts';

/** Deletes one-time schedules (expiry `time-bound-<requestId>`) by name; absent counts as done. */
export interface ScheduleDeleter {
  /** true when it existed and is gone now; false when there was none. */
  delete(name: string): Promise<boolean>;
}

export function createScheduleDeleter(options: { client: Pick<SchedulerClient, 'send'>; groupName: string }): ScheduleDeleter {
  return {
    async delete(name) {
      try {
        await callAws('deleting the expiry schedule', () => options.client.send(new DeleteScheduleCommand({ Name: name, GroupName: options.groupName })));
        return true;
      } catch (error) {
        if (awsErrorName(error) === 'ResourceNotFoundException') return false;
        throw error;
      }
    },
  };
}

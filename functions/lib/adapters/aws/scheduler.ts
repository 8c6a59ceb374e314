import { CreateScheduleCommand, GetScheduleCommand, UpdateScheduleCommand, type SchedulerClient } from '@aws-sdk/client-scheduler';
import { awsErrorName, callAws } from './call-aws.ts';
import type { ScheduleChange, ScheduleSpec, Schedules } from '../../domain/schedules/schedules.ts';

export interface SchedulesOptions {
  client: SchedulerClient;
  groupName: string;
  /** The leaver state machine the schedule starts. */
  targetArn: string;
  /** The role Scheduler assumes to start it. */
  roleArn: string;
}

/**
 * EventBridge Scheduler adapter: one-time, UTC, no flexible window, deleted after it ran.
 * A ConflictException on create means the name exists (a retry, or an earlier hire of the same
 * person): identical is a no-op, anything else is updated to this spec (the end date moved, or an
 * extension moved a time-bound grant's end). UpdateSchedule replaces the whole schedule: "if you do
 * not set an optional field in your request, that field will be set to its system-default value"
 * (https://docs.aws.amazon.com/scheduler/latest/APIReference/API_UpdateSchedule.html), so the update
 * sends the same full body as the create (ActionAfterCompletion, time zone, window, target), never a patch.
 */
export function createSchedules(options: SchedulesOptions): Schedules {
  const { client, groupName } = options;
  const body = (spec: ScheduleSpec) => ({
    Name: spec.name,
    GroupName: groupName,
    ScheduleExpression: spec.expression,
    ScheduleExpressionTimezone: 'UTC',
    FlexibleTimeWindow: { Mode: 'OFF' as const },
    ActionAfterCompletion: 'DELETE' as const,
    Target: { Arn: options.targetArn, RoleArn: options.roleArn, Input: spec.input },
  });

  async function identical(spec: ScheduleSpec): Promise<boolean> {
    const current = await callAws('reading the deprovisioning schedule', () => client.send(new GetScheduleCommand({ Name: spec.name, GroupName: groupName })));
    return (
      current.ScheduleExpression === spec.expression &&
      (current.ScheduleExpressionTimezone ?? 'UTC') === 'UTC' &&
      current.FlexibleTimeWindow?.Mode === 'OFF' &&
      current.ActionAfterCompletion === 'DELETE' &&
      current.State !== 'DISABLED' &&
      current.Target?.Arn === options.targetArn &&
      current.Target.RoleArn === options.roleArn &&
      current.Target.Input === spec.input
    );
  }

  return {
    async ensure(spec): Promise<ScheduleChange> {
      try {
        await callAws('creating the deprovisioning schedule', () => client.send(new CreateScheduleCommand(body(spec))));
        return 'created';
      } catch (error) {
        if (awsErrorName(error) !== 'ConflictException') throw error;
      }
      if (await identical(spec)) return 'unchanged';
      await callAws('updating the deprovisioning schedule', () => client.send(new UpdateScheduleCommand(body(spec))));
      return 'updated';
    },
  };
}

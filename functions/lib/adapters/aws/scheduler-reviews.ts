import { CreateScheduleCommand, GetScheduleCommand, ListSchedulesCommand, UpdateScheduleCommand, type GetScheduleCommandOutput, type SchedulerClient } from '@aws-sdk/client-scheduler';
import { recurringNameOf, type RecurringReviews, type RecurringRow, type RecurringScheduleSpec } from '../../domain/reviews/recurring.ts';
import { callAws, isAwsError } from './call-aws.ts';
import { allPages } from './pages.ts';

export interface RecurringReviewsOptions {
  client: Pick<SchedulerClient, 'send'>;
  groupName: string;
  /** The access-review state machine each time starts (Scheduler's templated Step Functions target). */
  stateMachineArn: string;
  /** The role Scheduler assumes to start it (the stack's scheduler role). */
  roleArn: string;
}

const PREFIX = 'review-';

/** The campaign name in a recurring schedule's input, if it has one. */
function campaignNameOf(input: string | undefined): string | null {
  try {
    const parsed = JSON.parse(input ?? '') as { campaign?: { name?: unknown } };
    return typeof parsed.campaign?.name === 'string' ? parsed.campaign.name : null;
  } catch {
    return null;
  }
}

/**
 * Recurring campaigns as EventBridge Scheduler schedules: cron()/rate() in the campaign's time
 * zone, no flexible window (a review starts on the minute it says), kept after each time. A
 * ConflictException on create means the name exists: the schedule is updated to this definition.
 * Pausing is the schedule's State (DISABLED: it fires nothing until ENABLED again). UpdateSchedule
 * replaces the whole schedule (a field left out takes its default), so a pause sends back what
 * GetSchedule returned with only State changed:
 * https://docs.aws.amazon.com/scheduler/latest/APIReference/API_UpdateSchedule.html
 */
export function createRecurringReviews(options: RecurringReviewsOptions): RecurringReviews {
  const body = (spec: RecurringScheduleSpec) => ({
    Name: spec.scheduleName,
    GroupName: options.groupName,
    ScheduleExpression: spec.expression,
    ScheduleExpressionTimezone: spec.timezone,
    FlexibleTimeWindow: { Mode: 'OFF' as const },
    ActionAfterCompletion: 'NONE' as const,
    Description: 'Gatehouse recurring access review',
    Target: { Arn: options.stateMachineArn, RoleArn: options.roleArn, Input: spec.input },
  });
  const get = async (Name: string): Promise<GetScheduleCommandOutput | undefined> => {
    try {
      return await callAws('reading a recurring review schedule', () => options.client.send(new GetScheduleCommand({ Name, GroupName: options.groupName })));
    } catch (error) {
      if (isAwsError(error, 'ResourceNotFoundException')) return undefined;
      throw error;
    }
  };
  const row = (schedule: GetScheduleCommandOutput): RecurringRow => ({
    name: recurringNameOf(schedule.Name ?? ''),
    scheduleName: schedule.Name ?? '',
    expression: schedule.ScheduleExpression ?? '',
    timezone: schedule.ScheduleExpressionTimezone ?? 'UTC',
    paused: schedule.State === 'DISABLED',
    campaignName: campaignNameOf(schedule.Target?.Input),
  });
  return {
    async put(spec) {
      try {
        await callAws('creating the recurring review schedule', () => options.client.send(new CreateScheduleCommand(body(spec))));
        return 'created';
      } catch (error) {
        if (!isAwsError(error, 'ConflictException')) throw error;
      }
      await callAws('updating the recurring review schedule', () => options.client.send(new UpdateScheduleCommand(body(spec))));
      return 'updated';
    },
    async list() {
      const summaries = await allPages(async (NextToken) => {
        const out = await callAws('listing recurring review schedules', () => options.client.send(new ListSchedulesCommand({ GroupName: options.groupName, NamePrefix: PREFIX, NextToken })));
        return { items: out.Schedules ?? [], next: out.NextToken };
      });
      // A summary has no expression or input: each is read in full (a deleted one meanwhile is skipped).
      const found = await Promise.all(summaries.map((s) => (s.Name ? get(s.Name) : Promise.resolve(undefined))));
      return found.flatMap((s) => (s ? [row(s)] : [])).sort((a, b) => a.name.localeCompare(b.name));
    },
    async setPaused(scheduleName, paused) {
      const current = await get(scheduleName);
      if (!current) return false;
      const State = paused ? 'DISABLED' : 'ENABLED';
      if (current.State === State) return true;
      await callAws('pausing or resuming a recurring review schedule', () =>
        options.client.send(
          new UpdateScheduleCommand({
            Name: scheduleName,
            GroupName: options.groupName,
            ScheduleExpression: current.ScheduleExpression,
            ScheduleExpressionTimezone: current.ScheduleExpressionTimezone,
            StartDate: current.StartDate,
            EndDate: current.EndDate,
            FlexibleTimeWindow: current.FlexibleTimeWindow,
            ActionAfterCompletion: current.ActionAfterCompletion,
            Description: current.Description,
            KmsKeyArn: current.KmsKeyArn,
            Target: current.Target,
            State,
          }),
        ),
      );
      return true;
    },
  };
}

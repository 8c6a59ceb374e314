import { CreateScheduleCommand, UpdateScheduleCommand, type SchedulerClient } from '@aws-sdk/client-scheduler';
import type { RecurringReviews, RecurringScheduleSpec } from '../../domain/reviews/recurring.ts';
import { callAws, isAwsError } from './call-aws.ts';

export interface RecurringReviewsOptions {
  client: Pick<SchedulerClient, 'send'>;
  groupName: string;
  /** The access-review state machine each time starts (Scheduler's templated Step Functions target). */
  stateMachineArn: string;
  /** The role Scheduler assumes to start it (the stack's scheduler role). */
  roleArn: string;
}

/**
 * Recurring campaigns as EventBridge Scheduler schedules: cron()/rate() in the campaign's time
 * zone, no flexible window (a review starts on the minute it says), kept after each time. A
 * ConflictException on create means the name exists: the schedule is updated to this definition.
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
  };
}

import { z } from 'zod';
import { ValidationError } from '../shared/errors.ts';
import { RecurringReviewNotFoundError } from './errors.ts';
import { describeIssues } from '../shared/validation.ts';
import { campaignDefinitionSchema, type CampaignDefinition } from './campaign.ts';

/**
 * A recurring campaign: a campaign definition with a schedule, created as an EventBridge
 * Scheduler schedule that starts the access-review machine with `{ campaign }` at each time
 * (quarterly for high-risk entitlements: `cron(0 9 ? JAN,APR,JUL,OCT 2#1 *)`, Europe/Berlin).
 * Each start is a new execution, so a new campaign; its id is the execution's name, which Step
 * Functions picks for a Scheduler start. Scheduler checks the expression in full
 * (ValidationException); here only its shape, so a typo is named before any call.
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
 */

const scheduleNameSchema = z.string().regex(/^[0-9A-Za-z_.-]{1,52}$/, 'schedule name: 1-52 of A-Z a-z 0-9 _ . -');
/**
 * A rate's value is a positive whole number, its unit singular for 1 and plural above (rate(1 day),
 * rate(90 days); rate(1 days) is refused): https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rate-expressions.html
 */
const RATE = /^rate\(([1-9]\d*) (minute|hour|day)(s?)\)$/;
const rateIsWellFormed = (expression: string): boolean => {
  const match = RATE.exec(expression);
  if (!match) return !expression.startsWith('rate(');
  return (match[1] === '1') === (match[3] === '');
};

export const recurrenceSchema = z.strictObject({
  expression: z
    .string()
    .regex(/^(rate\(\d+ (minutes?|hours?|days?)\)|cron\(\S+( \S+){5}\))$/, 'expression: rate(<n> minutes|hours|days) or cron(<six fields>)')
    .refine(rateIsWellFormed, 'expression: a rate is a positive number with the unit singular for 1 and plural above: rate(1 day), rate(90 days)'),
  /** IANA name (Europe/Berlin) or UTC; cron times are read in it. */
  timezone: z.string().regex(/^[A-Za-z0-9_+\-/]{1,50}$/, 'timezone: an IANA time zone such as Europe/Berlin, or UTC').default('UTC'),
});

export const recurringCampaignSchema = z.strictObject({
  name: scheduleNameSchema,
  schedule: recurrenceSchema,
  campaign: campaignDefinitionSchema,
});
export type RecurringCampaign = z.infer<typeof recurringCampaignSchema>;

/** The Scheduler schedule of a recurring campaign: `review-<name>`, its Target.Input the access-review input. */
export interface RecurringScheduleSpec {
  scheduleName: string;
  expression: string;
  timezone: string;
  /** The access-review execution input; `recurrence` names the schedule and the time it fired for (Scheduler's context attributes). */
  input: string;
}

export const recurringScheduleName = (name: string): string => `review-${name}`;

export function recurringScheduleSpec(recurring: RecurringCampaign): RecurringScheduleSpec {
  const scheduleName = recurringScheduleName(recurring.name);
  const input: { campaign: CampaignDefinition; recurrence: { schedule: string; scheduledTime: string } } = {
    campaign: recurring.campaign,
    recurrence: { schedule: scheduleName, scheduledTime: '<aws.scheduler.scheduled-time>' },
  };
  return { scheduleName, expression: recurring.schedule.expression, timezone: recurring.schedule.timezone, input: JSON.stringify(input) };
}

export function parseRecurringCampaign(input: unknown): RecurringCampaign {
  const parsed = recurringCampaignSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(`invalid recurring campaign: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

/** A recurring campaign as its schedule says: paused is Scheduler's DISABLED state (no start fires). */
export interface RecurringRow {
  /** The recurring campaign's name (the schedule is review-<name>). */
  name: string;
  scheduleName: string;
  expression: string;
  timezone: string;
  paused: boolean;
  /** The name each started campaign carries, when the schedule's input names one. */
  campaignName: string | null;
}

/** The port: recurring campaigns' schedules (adapters/aws/scheduler-reviews.ts). */
export interface RecurringReviews {
  put(spec: RecurringScheduleSpec): Promise<'created' | 'updated'>;
  /** Every review-* schedule of the group. */
  list(): Promise<RecurringRow[]>;
  /** Pauses or resumes the schedule, keeping its definition; false when there is no such schedule. */
  setPaused(scheduleName: string, paused: boolean): Promise<boolean>;
}

export const recurringNameOf = (scheduleName: string): string => scheduleName.replace(/^review-/, '');

/** Pauses (no new campaign starts) or resumes a recurring campaign by its name. */
export async function pauseRecurringReview(deps: { schedules: Pick<RecurringReviews, 'setPaused'> }, name: string, paused: boolean): Promise<{ scheduleName: string; paused: boolean }> {
  const parsed = scheduleNameSchema.safeParse(name);
  if (!parsed.success) throw new ValidationError(`invalid recurring campaign: ${describeIssues(parsed.error)}`);
  const scheduleName = recurringScheduleName(parsed.data);
  if (!(await deps.schedules.setPaused(scheduleName, paused))) throw new RecurringReviewNotFoundError(`no recurring campaign ${parsed.data}`);
  return { scheduleName, paused };
}

/** Creates or updates the recurring campaign's schedule (same name: the new definition replaces the old). */
export async function scheduleRecurringReview(deps: { schedules: Pick<RecurringReviews, 'put'> }, input: unknown): Promise<{ scheduleName: string; change: 'created' | 'updated' }> {
  const spec = recurringScheduleSpec(parseRecurringCampaign(input));
  return { scheduleName: spec.scheduleName, change: await deps.schedules.put(spec) };
}

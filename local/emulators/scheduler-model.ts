import { z } from 'zod';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../core/arn.ts';
import { validationError } from '../core/aws-error.ts';
import { isValidTimezone, parseScheduleExpression, ScheduleExpressionError } from './schedule-expression.ts';
import { invokeAt, nextOccurrence, type Occurrence } from './schedule-occurrences.ts';

/** Persisted EventBridge Scheduler state and the request schemas of the emulated operations. */

/**
 * Local bookkeeping for a schedule's next (or last) invocation: when it is due, when it is
 * invoked (a FLEXIBLE window picks a moment after dueAt), and whether it has fired. A recurring
 * schedule gets a fresh pending firing after each invocation, until it has no more times.
 */
export interface Firing extends Occurrence {
  /** Epoch milliseconds: the scheduled time. */
  dueAt: number;
  /** Epoch milliseconds: when the target is called (dueAt, or later within the flexible window). */
  invokeAt?: number;
  status: 'pending' | 'fired' | 'failed';
  attempts: number;
  firedAt?: number;
  lastError?: string;
  /** Invocations made so far (recurring schedules). */
  invocations?: number;
}

export interface StoredSchedule {
  Name: string;
  GroupName: string;
  ScheduleExpression: string;
  ScheduleExpressionTimezone?: string;
  /** Epoch seconds, as on the wire. */
  StartDate?: number;
  EndDate?: number;
  Description?: string;
  State: 'ENABLED' | 'DISABLED';
  KmsKeyArn?: string;
  Target: z.output<typeof targetSchema>;
  FlexibleTimeWindow: { Mode: 'OFF' | 'FLEXIBLE'; MaximumWindowInMinutes?: number };
  ActionAfterCompletion: 'NONE' | 'DELETE';
  CreationDate: number;
  LastModificationDate: number;
  ClientToken?: string;
  /** The next invocation; absent once a recurring schedule has no more times. */
  firing?: Firing;
  /** Epoch ms the schedule was created or last updated: a rate() without StartDate counts from here. */
  anchorMs?: number;
}

export interface StoredGroup {
  Name: string;
  CreationDate: number;
  LastModificationDate: number;
  ClientToken?: string;
}

export interface SchedulerState {
  groups: Record<string, StoredGroup>;
  /** Keyed `<group>/<name>`. */
  schedules: Record<string, StoredSchedule>;
}

const arnPrefix = `arn:aws:scheduler:${LOCAL_REGION}:${LOCAL_ACCOUNT}`;
export const scheduleArn = (group: string, name: string): string => `${arnPrefix}:schedule/${group}/${name}`;
export const groupArn = (group: string): string => `${arnPrefix}:schedule-group/${group}`;

const NAME = /^[0-9a-zA-Z\-_.]{1,64}$/;
export const nameSchema = z.string().regex(NAME, 'Member must have length 1..64 and match [0-9a-zA-Z-_.]+');
const maxResults = z.coerce.number().int().min(1).max(100).optional();

export const targetSchema = z.looseObject({
  Arn: z.string().min(1).max(1600),
  RoleArn: z.string().min(1).max(1600),
  Input: z.string().min(1).max(8192).optional(),
  RetryPolicy: z
    .object({
      MaximumEventAgeInSeconds: z.number().int().min(60).max(86_400).optional(),
      MaximumRetryAttempts: z.number().int().min(0).max(185).optional(),
    })
    .optional(),
  DeadLetterConfig: z.object({ Arn: z.string().min(1).optional() }).optional(),
});

export const scheduleBodySchema = z.object({
  GroupName: nameSchema.optional(),
  ScheduleExpression: z.string().min(1).max(256),
  ScheduleExpressionTimezone: z.string().min(1).max(50).optional(),
  StartDate: z.number().optional(),
  EndDate: z.number().optional(),
  Description: z.string().max(512).optional(),
  State: z.enum(['ENABLED', 'DISABLED']).optional(),
  KmsKeyArn: z.string().min(1).max(2048).optional(),
  Target: targetSchema,
  FlexibleTimeWindow: z.object({
    Mode: z.enum(['OFF', 'FLEXIBLE']),
    MaximumWindowInMinutes: z.number().int().min(1).max(1440).optional(),
  }),
  ClientToken: z.string().min(1).max(64).optional(),
  ActionAfterCompletion: z.enum(['NONE', 'DELETE']).optional(),
});
export type ScheduleBody = z.output<typeof scheduleBodySchema>;

export const listSchedulesSchema = z.object({
  ScheduleGroup: nameSchema.optional(),
  NamePrefix: z.string().min(1).max(64).optional(),
  State: z.enum(['ENABLED', 'DISABLED']).optional(),
  NextToken: z.string().min(1).max(2048).optional(),
  MaxResults: maxResults,
});

export const listGroupsSchema = z.object({
  NamePrefix: z.string().min(1).max(64).optional(),
  NextToken: z.string().min(1).max(2048).optional(),
  MaxResults: maxResults,
});

export const createGroupSchema = z.object({
  Tags: z.array(z.object({ Key: z.string(), Value: z.string() })).optional(),
  ClientToken: z.string().min(1).max(64).optional(),
});

type Schedule = Pick<StoredSchedule, 'ScheduleExpression' | 'ScheduleExpressionTimezone' | 'StartDate' | 'EndDate' | 'FlexibleTimeWindow'>;

/** Throws ValidationException naming the field for a bad expression or time zone. */
export function checkScheduleExpression(body: Schedule): void {
  if (body.ScheduleExpressionTimezone !== undefined && !isValidTimezone(body.ScheduleExpressionTimezone)) {
    throw validationError(`ScheduleExpressionTimezone ${body.ScheduleExpressionTimezone} is not a valid time zone.`);
  }
  try {
    parseScheduleExpression(body.ScheduleExpression);
  } catch (error) {
    if (error instanceof ScheduleExpressionError) throw validationError(error.message);
    throw error;
  }
}

/**
 * The schedule's next firing after `previous` (none: its first), not before `now`; undefined
 * when it has no more times (an at() that fired, a recurring one past its EndDate or year range).
 * `anchorMs` is when a rate() schedule without StartDate began (its creation or last update).
 */
export function nextFiring(schedule: Schedule, anchorMs: number, now: number, random: () => number, previous?: Firing): Firing | undefined {
  const recurrence = {
    expression: parseScheduleExpression(schedule.ScheduleExpression),
    zone: schedule.ScheduleExpressionTimezone ?? 'UTC',
    anchorMs,
    ...(schedule.StartDate !== undefined ? { startMs: schedule.StartDate * 1000 } : {}),
    ...(schedule.EndDate !== undefined ? { endMs: schedule.EndDate * 1000 } : {}),
  };
  const next = nextOccurrence(recurrence, now, previous);
  if (!next) return undefined;
  return { ...next, invokeAt: invokeAt(next.dueAt, schedule.FlexibleTimeWindow, random), status: 'pending', attempts: 0, invocations: previous?.invocations ?? 0 };
}

export function checkScheduleBody(body: ScheduleBody): void {
  const window = body.FlexibleTimeWindow;
  if (window.Mode === 'FLEXIBLE' && window.MaximumWindowInMinutes === undefined) {
    throw validationError('FlexibleTimeWindow.MaximumWindowInMinutes is required when FlexibleTimeWindow.Mode is FLEXIBLE.');
  }
  if (window.Mode === 'OFF' && window.MaximumWindowInMinutes !== undefined) {
    throw validationError('FlexibleTimeWindow.MaximumWindowInMinutes must not be set when FlexibleTimeWindow.Mode is OFF.');
  }
  if (body.Target.Input !== undefined && body.Target.Arn.startsWith('arn:aws:states:')) {
    try {
      JSON.parse(body.Target.Input);
    } catch {
      throw validationError('Target.Input must be valid JSON for a Step Functions target.');
    }
  }
  if (body.StartDate !== undefined && body.EndDate !== undefined && body.EndDate <= body.StartDate) {
    throw validationError('EndDate must be after StartDate.');
  }
}

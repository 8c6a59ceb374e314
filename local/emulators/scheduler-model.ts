import { z } from 'zod';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../core/arn.ts';
import { validationError } from '../core/aws-error.ts';
import { isValidTimezone, parseScheduleExpression, ScheduleExpressionError, wallTimeToInstant } from './schedule-expression.ts';

/** Persisted EventBridge Scheduler state and the request schemas of the emulated operations. */

/** Local bookkeeping for an `at()` schedule: when it is due and whether it has fired. */
export interface Firing {
  /** Epoch milliseconds. */
  dueAt: number;
  status: 'pending' | 'fired' | 'failed';
  attempts: number;
  firedAt?: number;
  lastError?: string;
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
  /** Present for `at()` schedules only: rate() and cron() ones are stored but never fire locally. */
  firing?: Firing;
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

/** When a one-time schedule is due, or undefined for recurring ones; throws ValidationException naming the field. */
export function scheduleDueAt(body: ScheduleBody): number | undefined {
  if (body.ScheduleExpressionTimezone !== undefined && !isValidTimezone(body.ScheduleExpressionTimezone)) {
    throw validationError(`ScheduleExpressionTimezone ${body.ScheduleExpressionTimezone} is not a valid time zone.`);
  }
  try {
    const expression = parseScheduleExpression(body.ScheduleExpression);
    return expression.kind === 'at' ? wallTimeToInstant(expression.wallTimeMs, body.ScheduleExpressionTimezone ?? 'UTC') : undefined;
  } catch (error) {
    if (error instanceof ScheduleExpressionError) throw validationError(error.message);
    throw error;
  }
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

import { LOCAL_REGION } from '../core/arn.ts';

/** One history event as stored: `details` goes on the wire under `detailsKey`. */
export interface StoredEvent {
  id: number;
  previousEventId: number;
  /** epoch milliseconds */
  timestamp: number;
  type: string;
  detailsKey?: string;
  details?: Record<string, unknown>;
}

/** An event before it gets its id. */
export interface NewEvent {
  type: string;
  detailsKey?: string;
  details?: Record<string, unknown>;
  timestamp?: number;
}

const json = (value: unknown): string => JSON.stringify(value ?? null);
export const dataDetails = (field: 'input' | 'output', value: unknown) => ({
  [field]: json(value),
  [`${field}Details`]: { truncated: false },
});

/** An event whose details go under `<type with a lower-case first letter>EventDetails`. */
export function event(type: string, details?: Record<string, unknown>): NewEvent {
  return details ? { type, detailsKey: `${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`, details } : { type };
}

/** How a Task resource shows in TaskScheduled & co: `{resourceType: 'lambda', resource: 'invoke'}`. */
export function taskResourceNames(resource: string): { resourceType: string; resource: string } {
  const prefix = 'arn:aws:states:::';
  if (!resource.startsWith(prefix)) return { resourceType: 'lambda', resource: 'invoke' };
  const path = resource.slice(prefix.length);
  const suffix = path.endsWith('.sync:2') ? ':2' : '';
  const parts = path.slice(0, path.length - suffix.length).split(':');
  const last = parts.pop() ?? '';
  // aws-sdk:identitystore:createUser -> aws-sdk:identitystore / createUser; states:startExecution.sync:2 -> states / startExecution.sync:2
  return { resourceType: parts.join(':'), resource: `${last}${suffix}` };
}

export type TaskEventType = 'TaskScheduled' | 'TaskStarted' | 'TaskSubmitted' | 'TaskSucceeded' | 'TaskFailed' | 'TaskTimedOut';

export const taskEvent = (type: TaskEventType, resource: string, extra: Record<string, unknown> = {}): NewEvent =>
  event(type, { ...taskResourceNames(resource), ...extra });

export function taskScheduledEvent(resource: string, parameters: unknown, timeoutSeconds?: number, heartbeatSeconds?: number): NewEvent {
  return taskEvent('TaskScheduled', resource, {
    region: LOCAL_REGION,
    parameters: json(parameters),
    ...(timeoutSeconds !== undefined ? { timeoutInSeconds: timeoutSeconds } : {}),
    ...(heartbeatSeconds !== undefined ? { heartbeatInSeconds: heartbeatSeconds } : {}),
  });
}

export const taskOutputEvent = (type: 'TaskSubmitted' | 'TaskSucceeded', resource: string, output: unknown): NewEvent =>
  taskEvent(type, resource, dataDetails('output', output));

export const lambdaEvent = (type: 'Scheduled' | 'Started' | 'Succeeded' | 'Failed' | 'TimedOut', details?: Record<string, unknown>): NewEvent =>
  event(`LambdaFunction${type}`, details);

export const executionStartedEvent = (input: string, roleArn: string): NewEvent =>
  event('ExecutionStarted', { input, inputDetails: { truncated: false }, roleArn });

export const executionEndEvent = (
  type: 'ExecutionSucceeded' | 'ExecutionFailed' | 'ExecutionAborted' | 'ExecutionTimedOut',
  details: Record<string, unknown>,
): NewEvent => event(type, details);

const DATA_FIELDS = new Set(['input', 'output', 'inputDetails', 'outputDetails', 'parameters']);

/** An event as GetExecutionHistory returns it (timestamps in epoch seconds). */
export function toWireEvent(stored: StoredEvent, includeExecutionData: boolean): Record<string, unknown> {
  const wire: Record<string, unknown> = {
    id: stored.id,
    previousEventId: stored.previousEventId,
    timestamp: stored.timestamp / 1000,
    type: stored.type,
  };
  if (stored.detailsKey && stored.details) {
    wire[stored.detailsKey] = includeExecutionData
      ? stored.details
      : Object.fromEntries(Object.entries(stored.details).filter(([key]) => !DATA_FIELDS.has(key)));
  }
  return wire;
}

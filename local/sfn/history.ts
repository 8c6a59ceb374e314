import type { StateMachine } from 'aws-local-stepfunctions';
import type { TaskStateInfo } from './machines.ts';
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

export type LibraryEvent = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

const json = (value: unknown): string => JSON.stringify(value ?? null);
const dataDetails = (field: 'input' | 'output', value: unknown) => ({
  [field]: json(value),
  [`${field}Details`]: { truncated: false },
});

/** How a Task resource shows in TaskScheduled & co: `{resourceType: 'lambda', resource: 'invoke'}`. */
export function taskResourceNames(resource: string): { resourceType: string; resource: string } {
  const prefix = 'arn:aws:states:::';
  if (!resource.startsWith(prefix)) return { resourceType: 'lambda', resource: 'invoke' };
  const parts = resource.slice(prefix.length).split(':');
  const last = parts.pop() ?? '';
  return { resourceType: parts.join(':'), resource: last };
}

export function taskEvent(
  type: 'TaskScheduled' | 'TaskStarted' | 'TaskSubmitted' | 'TaskSucceeded' | 'TaskFailed' | 'TaskTimedOut',
  task: TaskStateInfo,
  extra: Record<string, unknown> = {},
): NewEvent {
  const key = `${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`;
  return { type, detailsKey: key, details: { ...taskResourceNames(task.resource), ...extra } };
}

export function taskScheduledEvent(task: TaskStateInfo, parameters: unknown): NewEvent {
  return taskEvent('TaskScheduled', task, {
    region: LOCAL_REGION,
    parameters: json(parameters),
    ...(task.timeoutSeconds !== undefined ? { timeoutInSeconds: task.timeoutSeconds } : {}),
    ...(task.heartbeatSeconds !== undefined ? { heartbeatInSeconds: task.heartbeatSeconds } : {}),
  });
}

export function taskOutputEvent(type: 'TaskSubmitted' | 'TaskSucceeded', task: TaskStateInfo, output: unknown): NewEvent {
  return taskEvent(type, task, dataDetails('output', output));
}

export function lambdaEvent(type: 'Scheduled' | 'Started' | 'Succeeded' | 'Failed', details?: Record<string, unknown>): NewEvent {
  const full = `LambdaFunction${type}`;
  return details ? { type: full, detailsKey: `lambdaFunction${type}EventDetails`, details } : { type: full };
}

export const executionStartedEvent = (input: string, roleArn: string): NewEvent => ({
  type: 'ExecutionStarted',
  detailsKey: 'executionStartedEventDetails',
  details: { input, inputDetails: { truncated: false }, roleArn },
});

export const executionEndEvent = (
  type: 'ExecutionSucceeded' | 'ExecutionFailed' | 'ExecutionAborted' | 'ExecutionTimedOut',
  details: Record<string, unknown>,
): NewEvent => ({ type, detailsKey: `${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`, details });

/**
 * The AWS history event(s) for one interpreter event. Execution-level events are written
 * by the runner itself (a redriven run starts over, and the end must follow every state
 * event), Task events by the Task handlers; the interpreter contributes state entries and
 * exits, Map iterations, and Task timeouts (which it raises itself).
 */
export function fromLibraryEvent(event: LibraryEvent, tasks: Map<string, TaskStateInfo>, waits: ReadonlySet<string> = new Set()): NewEvent | undefined {
  const timestamp = event.timestamp;
  // Wait states run as Task states of ours (waits.ts); their history keeps the Wait type.
  const stateType = (state: { name: string; type: string }): string => (state.type === 'Task' && waits.has(state.name) ? 'Wait' : state.type);
  switch (event.type) {
    case 'StateEntered':
      return {
        type: `${stateType(event.state)}StateEntered`,
        detailsKey: 'stateEnteredEventDetails',
        details: { name: event.state.name, ...dataDetails('input', event.state.input) },
        timestamp,
      };
    case 'StateExited':
      return {
        type: `${stateType(event.state)}StateExited`,
        detailsKey: 'stateExitedEventDetails',
        details: { name: event.state.name, ...dataDetails('output', event.state.output) },
        timestamp,
      };
    case 'StateFailed': {
      const task = tasks.get(event.state.name);
      if (event.state.type === 'Task' && task && event.Error === 'States.Timeout') {
        return { ...taskEvent('TaskTimedOut', task, { error: event.Error, cause: typeof event.Cause === 'string' ? event.Cause : JSON.stringify(event.Cause ?? '') }), timestamp };
      }
      if (event.state.type === 'Map' || event.state.type === 'Parallel') return { type: `${event.state.type}StateFailed`, timestamp };
      return undefined;
    }
    case 'MapIterationStarted':
    case 'MapIterationSucceeded':
    case 'MapIterationFailed':
      return {
        type: event.type,
        detailsKey: `${event.type.charAt(0).toLowerCase()}${event.type.slice(1)}EventDetails`,
        details: { name: event.parentState.name, index: event.index },
        timestamp,
      };
    default:
      return undefined;
  }
}

const DATA_FIELDS = new Set(['input', 'output', 'inputDetails', 'outputDetails', 'parameters']);

/** An event as GetExecutionHistory returns it (timestamps in epoch seconds). */
export function toWireEvent(event: StoredEvent, includeExecutionData: boolean): Record<string, unknown> {
  const wire: Record<string, unknown> = {
    id: event.id,
    previousEventId: event.previousEventId,
    timestamp: event.timestamp / 1000,
    type: event.type,
  };
  if (event.detailsKey && event.details) {
    wire[event.detailsKey] = includeExecutionData
      ? event.details
      : Object.fromEntries(Object.entries(event.details).filter(([key]) => !DATA_FIELDS.has(key)));
  }
  return wire;
}

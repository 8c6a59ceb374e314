import { createHash } from 'node:crypto';
import type { ExecutionRecord } from './executions.ts';

/**
 * A Distributed Map's Map Run (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-examine-map-run.html):
 * the child executions one entry of the state started. ARNs as on AWS:
 *   mapRun:    arn:aws:states:<region>:<account>:mapRun:<machine name>/<label>:<id>
 *   children:  arn:aws:states:<region>:<account>:execution:<machine name>/<label>:<name>
 * where <label> is the state's Label, or an id of its own ("MapRunLabel or UUID").
 */
export type MapRunStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';

export interface MapRunRecord {
  mapRunArn: string;
  /** The parent execution. */
  executionArn: string;
  /** The child machine: `<parent machine ARN>/<label>`. */
  stateMachineArn: string;
  status: MapRunStatus;
  startDate: number;
  stopDate?: number;
  maxConcurrency: number;
  toleratedFailurePercentage: number;
  toleratedFailureCount: number;
  /** Children in item order, and how many items each was given. */
  children: { executionArn: string; itemCount: number }[];
}

/** A Map state's label in ARNs: its Label, or a stable id derived from where it is. */
export function mapLabel(label: string | undefined, machineKey: string, stateName: string): string {
  if (label !== undefined) return label;
  const hex = createHash('sha256').update(`${machineKey}\n${stateName}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export const mapRunArnOf = (childMachineArn: string, id: string): string => `${childMachineArn.replace(':stateMachine:', ':mapRun:')}:${id}`;
export const childArnOf = (childMachineArn: string, name: string): string => `${childMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;

type Counts = Record<'pending' | 'running' | 'succeeded' | 'failed' | 'timedOut' | 'aborted' | 'total' | 'resultsWritten' | 'failuresNotRedrivable' | 'pendingRedrive', number>;

const zero = (): Counts => ({ pending: 0, running: 0, succeeded: 0, failed: 0, timedOut: 0, aborted: 0, total: 0, resultsWritten: 0, failuresNotRedrivable: 0, pendingRedrive: 0 });
const BUCKET = { RUNNING: 'running', SUCCEEDED: 'succeeded', FAILED: 'failed', TIMED_OUT: 'timedOut', ABORTED: 'aborted' } as const;

/** DescribeMapRun's answer, counted from the children's records (a child not started yet is pending). */
export function describeMapRun(run: MapRunRecord, recordOf: (arn: string) => ExecutionRecord | undefined): Record<string, unknown> {
  const executionCounts = zero();
  const itemCounts = zero();
  for (const child of run.children) {
    const record = recordOf(child.executionArn);
    const bucket = record ? BUCKET[record.status] : 'pending';
    executionCounts[bucket] += 1;
    executionCounts.total += 1;
    itemCounts[bucket] += child.itemCount;
    itemCounts.total += child.itemCount;
    if (record && record.status !== 'RUNNING' && record.status !== 'SUCCEEDED') {
      executionCounts.failuresNotRedrivable += 1;
      itemCounts.failuresNotRedrivable += child.itemCount;
    }
  }
  return {
    mapRunArn: run.mapRunArn,
    executionArn: run.executionArn,
    status: run.status,
    startDate: run.startDate / 1000,
    ...(run.stopDate !== undefined ? { stopDate: run.stopDate / 1000 } : {}),
    maxConcurrency: run.maxConcurrency,
    toleratedFailurePercentage: run.toleratedFailurePercentage,
    toleratedFailureCount: run.toleratedFailureCount,
    itemCounts,
    executionCounts,
    redriveCount: 0,
  };
}

/** A ListMapRuns entry. */
export const mapRunListItem = (run: MapRunRecord): Record<string, unknown> => ({
  executionArn: run.executionArn,
  mapRunArn: run.mapRunArn,
  stateMachineArn: run.stateMachineArn,
  startDate: run.startDate / 1000,
  ...(run.stopDate !== undefined ? { stopDate: run.stopDate / 1000 } : {}),
});

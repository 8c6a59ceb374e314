import type { Observed, WaitUntil } from './waits.ts';

export type { Clock } from '../shared/clock.ts';

/** The ports the EC2 waits consume; implemented in dynamodb/waits.ts and aws/ec2-observer.ts. */

export interface ParkedToken {
  resourceId: string;
  until: WaitUntil;
  /** Opaque id of the parking (one per token and resource). */
  parkingId: string;
  taskToken: string;
}

export interface WaitStore {
  /** When the wait `key` first began; records `now` the first time (conditional put). */
  beganAt(key: string, now: Date, expiresAt: Date): Promise<Date>;
  /** Parks `taskToken` under each resource id until `expiresAt` (TTL garbage collection). */
  park(resourceIds: readonly string[], until: WaitUntil, taskToken: string, expiresAt: Date): Promise<void>;
  /** Every token parked under a resource id. */
  parkedUnder(resourceId: string): Promise<ParkedToken[]>;
  /** Removes one parking; removing one already gone is fine. */
  unpark(token: Pick<ParkedToken, 'resourceId' | 'parkingId'>): Promise<void>;
}

export interface Ec2Observer {
  /** The resources `until` concerns: the employee's instances (or the given ones), or the employee's retained snapshots. */
  observe(until: WaitUntil, scope: { employeeId: string; instanceIds?: readonly string[] }): Promise<Observed[]>;
}

export type ResumeResult = 'delivered' | 'task-gone';

export interface TaskResumer {
  succeed(taskToken: string, output: unknown): Promise<ResumeResult>;
}

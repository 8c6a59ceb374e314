import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { stateFile, type EmulatorContext } from '../core/emulator.ts';
import { JsonStore } from '../core/store.ts';
import type { NewEvent, StoredEvent } from './history.ts';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';

/** One execution and its history, persisted as one file. Dates in epoch milliseconds. */
export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  /** Key of the machine in SfnOptions.machines. */
  machineKey: string;
  name: string;
  status: ExecutionStatus;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  startDate: number;
  stopDate?: number;
  redriveCount: number;
  redriveDate?: number;
  /** Creation order, to list newest first when start dates tie. */
  seq: number;
  events: StoredEvent[];
}

const FOLDER = 'sfn-executions';

/**
 * Every execution the emulator knows. With a state folder each execution lives in its own
 * file, rewritten atomically (JsonStore) after every change, so a crash loses at most the
 * change being made and a restart finds every RUNNING execution.
 */
export class ExecutionStore {
  private readonly stores = new Map<string, JsonStore<ExecutionRecord>>();
  private nextSeq = 1;

  constructor(private readonly ctx: EmulatorContext) {
    for (const name of this.persistedNames()) {
      const file = stateFile(ctx, `${FOLDER}/${name}`);
      const store = new JsonStore<ExecutionRecord>(file, () => {
        throw new Error(`execution file ${name} vanished while loading`);
      });
      this.stores.set(store.data.executionArn, store);
      this.nextSeq = Math.max(this.nextSeq, store.data.seq + 1);
    }
  }

  private persistedNames(): string[] {
    if (!this.ctx.stateDir) return [];
    try {
      return readdirSync(join(this.ctx.stateDir, FOLDER))
        .filter((file) => file.endsWith('.json'))
        .map((file) => file.slice(0, -'.json'.length));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  get(executionArn: string): ExecutionRecord | undefined {
    return this.stores.get(executionArn)?.data;
  }

  all(): ExecutionRecord[] {
    return [...this.stores.values()].map((store) => store.data);
  }

  create(fields: Omit<ExecutionRecord, 'seq' | 'events' | 'redriveCount' | 'status'>, firstEvent: NewEvent): ExecutionRecord {
    const record: ExecutionRecord = { ...fields, status: 'RUNNING', redriveCount: 0, seq: this.nextSeq++, events: [] };
    const fileName = createHash('sha256').update(record.executionArn).digest('hex').slice(0, 40);
    const store = new JsonStore<ExecutionRecord>(stateFile(this.ctx, `${FOLDER}/${fileName}`), () => record);
    this.stores.set(record.executionArn, store);
    this.append(record, firstEvent);
    return record;
  }

  /** Adds a history event and saves. */
  append(record: ExecutionRecord, event: NewEvent): void {
    const id = record.events.length + 1;
    record.events.push({
      id,
      previousEventId: id - 1,
      timestamp: event.timestamp ?? Date.now(),
      type: event.type,
      ...(event.detailsKey && event.details ? { detailsKey: event.detailsKey, details: event.details } : {}),
    });
    this.save(record);
  }

  save(record: ExecutionRecord): void {
    this.stores.get(record.executionArn)?.save();
  }
}

import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EmulatorContext } from '../core/emulator.ts';
import type { NewEvent, StoredEvent } from './history.ts';
import type { MapRunRecord } from './map-runs.ts';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';

/** What an execution is started with. Dates in epoch milliseconds. */
export interface ExecutionFields {
  executionArn: string;
  stateMachineArn: string;
  /** Key of the machine in the catalog (`joiner`, or `joiner/<map label>` for a Distributed Map's children). */
  machineKey: string;
  name: string;
  input: string;
  startDate: number;
  /** A child of a Distributed Map: its Map Run, and how many items it was given. */
  mapRunArn?: string;
  itemCount?: number;
  /** A child started by a Task state of another execution: that execution and the attempt's journal key. */
  parent?: { executionArn: string; key: string; stopWithParent: boolean };
}

export interface ExecutionRecord extends ExecutionFields {
  status: ExecutionStatus;
  output?: string;
  error?: string;
  cause?: string;
  stopDate?: number;
  /** Always 0: the local cloud resumes executions, it never re-drives them (nor does StartExecution). */
  redriveCount: number;
  /** Creation order, to list newest first when start dates tie. */
  seq: number;
  events: StoredEvent[];
}

/** One line of an execution's log: its header or a change to it, an event, a journal entry, a Map Run. */
type LogLine =
  | { h: Partial<ExecutionRecord> }
  | { e: StoredEvent; k?: string }
  | { j: string; v: unknown }
  | { m: MapRunRecord };

/**
 * One execution, persisted as an append-only log (`<sha>.jsonl`): a line per change, written
 * before the change is acted on, so a crash (SIGKILL included) loses nothing that was done.
 * History events may carry a key (state path and occurrence, see frame.ts): an event whose key
 * is already recorded is not recorded again, which is how a resumed run replays without
 * duplicating history. The journal (journal.ts) holds what the run needs to resume.
 */
export class StoredExecution {
  private readonly keys = new Set<string>();
  private readonly journal = new Map<string, unknown>();
  readonly mapRuns = new Map<string, MapRunRecord>();

  constructor(
    readonly record: ExecutionRecord,
    private readonly file: string | undefined,
  ) {}

  static load(file: string): StoredExecution | undefined {
    const lines = readFileSync(file, 'utf8').split('\n');
    let stored: StoredExecution | undefined;
    for (const text of lines) {
      let line: LogLine;
      try {
        line = JSON.parse(text) as LogLine;
      } catch {
        continue; // an empty or torn last line
      }
      if ('h' in line) {
        if (stored) Object.assign(stored.record, line.h);
        else stored = new StoredExecution({ ...(line.h as ExecutionRecord), events: [] }, file);
      } else if (!stored) {
        return undefined;
      } else if ('e' in line) {
        stored.record.events.push(line.e);
        if (line.k) stored.keys.add(line.k);
      } else if ('j' in line) {
        stored.journal.set(line.j, line.v);
      } else if ('m' in line) {
        stored.mapRuns.set(line.m.mapRunArn, line.m);
      }
    }
    return stored;
  }

  private write(line: LogLine): void {
    if (this.file) appendFileSync(this.file, `${JSON.stringify(line)}\n`);
  }

  /** Writes the whole header (creation). */
  writeHeader(): void {
    const header: Partial<ExecutionRecord> = { ...this.record };
    delete header.events;
    this.write({ h: header });
  }

  update(patch: Partial<Omit<ExecutionRecord, 'events'>>): void {
    Object.assign(this.record, patch);
    this.write({ h: patch });
  }

  hasEvent(key: string): boolean {
    return this.keys.has(key);
  }

  /** Appends an event unless one with the same key is recorded; answers whether it did. */
  appendEvent(event: NewEvent, key?: string): boolean {
    if (key !== undefined && this.keys.has(key)) return false;
    const id = this.record.events.length + 1;
    const stored: StoredEvent = {
      id,
      previousEventId: id - 1,
      timestamp: event.timestamp ?? Date.now(),
      type: event.type,
      ...(event.detailsKey && event.details ? { detailsKey: event.detailsKey, details: event.details } : {}),
    };
    this.record.events.push(stored);
    if (key !== undefined) this.keys.add(key);
    this.write(key !== undefined ? { e: stored, k: key } : { e: stored });
    return true;
  }

  journalEntry<T>(key: string): T | undefined {
    return this.journal.get(key) as T | undefined;
  }

  journalEntries(): IterableIterator<[string, unknown]> {
    return this.journal.entries();
  }

  setJournal(key: string, value: unknown): void {
    this.journal.set(key, value);
    this.write({ j: key, v: value });
  }

  putMapRun(run: MapRunRecord): void {
    this.mapRuns.set(run.mapRunArn, run);
    this.write({ m: run });
  }
}

const FOLDER = 'sfn-executions';

/** Every execution the emulator knows, loaded from the state folder at start. */
export class ExecutionStore {
  private readonly executions = new Map<string, StoredExecution>();
  private readonly folder: string | undefined;
  private nextSeq = 1;

  constructor(ctx: EmulatorContext) {
    this.folder = ctx.stateDir ? join(ctx.stateDir, FOLDER) : undefined;
    if (!this.folder) return;
    mkdirSync(this.folder, { recursive: true });
    for (const file of readdirSync(this.folder).filter((f) => f.endsWith('.jsonl'))) {
      const stored = StoredExecution.load(join(this.folder, file));
      if (!stored) continue;
      this.executions.set(stored.record.executionArn, stored);
      this.nextSeq = Math.max(this.nextSeq, stored.record.seq + 1);
    }
  }

  get(executionArn: string): StoredExecution | undefined {
    return this.executions.get(executionArn);
  }

  all(): StoredExecution[] {
    return [...this.executions.values()];
  }

  create(fields: ExecutionFields, firstEvent: NewEvent): StoredExecution {
    const record: ExecutionRecord = { ...fields, status: 'RUNNING', redriveCount: 0, seq: this.nextSeq++, events: [] };
    const fileName = `${createHash('sha256').update(record.executionArn).digest('hex').slice(0, 40)}.jsonl`;
    const stored = new StoredExecution(record, this.folder ? join(this.folder, fileName) : undefined);
    stored.writeHeader();
    this.executions.set(record.executionArn, stored);
    stored.appendEvent(firstEvent);
    return stored;
  }
}

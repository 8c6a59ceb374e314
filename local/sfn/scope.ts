import type { CallbackRegistry } from './callbacks.ts';
import type { ChildExecutions } from './children.ts';
import type { StoredExecution } from './executions.ts';
import type { Frame } from './frame.ts';
import type { NewEvent } from './history.ts';
import type { MachineInfo } from './machines.ts';
import type { StepSpec } from './prepare.ts';
import type { SdkIntegrations } from './sdk-integrations.ts';
import type { JsonValue, SfnOptions } from './types.ts';

/** What steps share across executions. */
export interface StepEnvironment {
  invokeFunction: SfnOptions['invokeFunction'];
  sdk: SdkIntegrations;
  callbacks: CallbackRegistry;
  children: ChildExecutions;
  /** See SfnOptions.waitChunkMs. */
  waitChunkMs: number;
  /** See SfnOptions.retryDelayScale. */
  retryDelayScale: number;
}

/** One run of one execution, as its frames and steps see it. */
export interface RunScope {
  readonly execution: StoredExecution;
  readonly machine: MachineInfo;
  readonly env: StepEnvironment;
  /** Aborted when the run is halted (StopExecution, emulator stop) or has ended. */
  readonly signal: AbortSignal;
  /** The `$$` run option (context.ts). */
  readonly context: Record<string, unknown>;
  /** Records a history event unless an event with this key is recorded already; answers whether it did. */
  record(event: NewEvent, key: string): boolean;
  /** A state was entered for the first time (not replayed): the crash hook looks here. */
  entered(stateName: string): void;
  /** Fails the execution with a terminal error (a history or payload quota was reached). */
  failExecution(error: string, cause: string): void;
  runStep(frame: Frame, spec: StepSpec, key: string, given: JsonValue): Promise<JsonValue>;
}

import { join } from 'node:path';
import type { FaultInjector } from './faults.ts';
import type { RequestHandler } from './http.ts';

/** What every protocol-level emulator is given. */
export interface EmulatorContext {
  /** Folder for persisted state; undefined keeps state in memory only (tests). */
  stateDir?: string;
  faults: FaultInjector;
}

/** A running emulator: one HTTP handler, served on its own loopback port by the cloud. */
export interface Emulator {
  /** Service id, as in fault rules and `AWS_ENDPOINT_URL_<ID>`: identitystore, ec2, ... */
  readonly service: string;
  readonly handler: RequestHandler;
  /** Stops timers (pending->running transitions, schedule firing). State is already saved. */
  stop?(): Promise<void>;
}

export function stateFile(ctx: EmulatorContext, name: string): string | undefined {
  return ctx.stateDir ? join(ctx.stateDir, `${name}.json`) : undefined;
}

/**
 * The crash hook of the crash tests (issue #11): `GATEHOUSE_CRASH_AT=<machine>/<state>[#n][@<execution name>]`
 * SIGKILLs this process as state `<state>` of machine `<machine>` (the key: joiner, mover, ..., or
 * `<machine>/<Map label>` for the child executions of a Distributed Map)
 * is entered for the n-th time (default 1) in this process, by the named execution if one is
 * given. The entry is persisted first, and nothing of the state has run: the restarted cloud
 * must resume the execution from there.
 */
export interface CrashPoint {
  machine: string;
  state: string;
  occurrence: number;
  executionName?: string;
}

export class CrashSpecError extends Error {
  constructor(spec: string) {
    super(`GATEHOUSE_CRASH_AT="${spec}" is not <machine>/<state>[#n][@<execution name>]`);
    this.name = 'CrashSpecError';
  }
}

export function parseCrashPoint(spec: string): CrashPoint {
  let rest = spec;
  let executionName: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at > 0) {
    executionName = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let occurrence = 1;
  const hash = /#(\d+)$/.exec(rest);
  if (hash) {
    occurrence = Number(hash[1]);
    rest = rest.slice(0, hash.index);
  }
  // The last slash: a Distributed Map's child machine is keyed `<machine>/<Map label>`.
  const slash = rest.lastIndexOf('/');
  const machine = rest.slice(0, slash);
  const state = rest.slice(slash + 1);
  if (slash <= 0 || state === '' || occurrence < 1 || executionName === '') throw new CrashSpecError(spec);
  return { machine, state, occurrence, ...(executionName !== undefined ? { executionName } : {}) };
}

/** Counts entries of the crash point's state and kills the process at the chosen one. */
export function crashHook(spec: string | undefined, kill: () => void = () => process.kill(process.pid, 'SIGKILL')) {
  if (!spec) return undefined;
  const point = parseCrashPoint(spec);
  let seen = 0;
  return (machine: string, state: string, executionName: string): void => {
    if (machine !== point.machine || state !== point.state) return;
    if (point.executionName !== undefined && executionName !== point.executionName) return;
    seen += 1;
    if (seen === point.occurrence) kill();
  };
}

export type CrashHook = NonNullable<ReturnType<typeof crashHook>>;

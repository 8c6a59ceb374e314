import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APPROVERS_MAP_EXTRA_CATCHES, APPROVERS_MAP_STATE, CAUGHT_ERRORS, EVENT_WAITS, RETRIER_VARIANTS, retryList } from '../../statemachines/conventions.ts';
import { reformatAsl } from '../../tools/asl/format.ts';

/** Every statemachines/*.asl.json held to statemachines/conventions.ts. */
const ROOT = join(import.meta.dirname, '..', '..');
const DIR = join(ROOT, 'statemachines');
type State = Record<string, unknown> & { Type?: string; Retry?: unknown; Catch?: { ErrorEquals: string[] }[] };
type Machine = { States: Record<string, State> };

const files = readdirSync(DIR).filter((name) => name.endsWith('.asl.json')).sort();
const texts = new Map(files.map((file) => [file, readFileSync(join(DIR, file), 'utf8')]));
const machines = new Map(files.map((file) => [file, JSON.parse(texts.get(file) ?? '') as Machine]));

/** Every state of a machine, nested Map and Parallel states included, as `path: state`. */
function allStates(states: Record<string, State>, prefix = ''): [string, State][] {
  return Object.entries(states).flatMap(([name, state]) => {
    const here: [string, State][] = [[`${prefix}${name}`, state]];
    const processor = (state.ItemProcessor ?? state.Iterator) as Machine | undefined;
    const branches = (state.Branches ?? []) as Machine[];
    return [
      ...here,
      ...(processor ? allStates(processor.States, `${prefix}${name}/`) : []),
      ...branches.flatMap((branch, i) => allStates(branch.States, `${prefix}${name}[${i}]/`)),
    ];
  });
}
const everyState = [...machines].flatMap(([file, machine]) => allStates(machine.States).map(([path, state]) => ({ where: `${file}: ${path}`, state })));
const tasks = everyState.filter(({ state }) => state.Type === 'Task');

/** The variant a Retry list is (undefined: the canonical retrier alone), or null for none. */
function variantOf(retry: unknown): string | undefined | null {
  const text = JSON.stringify(retry);
  if (text === JSON.stringify(retryList())) return undefined;
  return Object.keys(RETRIER_VARIANTS).find((name) => JSON.stringify(retryList(name)) === text) ?? null;
}

/** Source of the production functions (tests excluded): where a caught error must be raised. */
function functionSources(dir = join(ROOT, 'functions')): string {
  return readdirSync(dir, { withFileTypes: true })
    .map((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return functionSources(path);
      return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? readFileSync(path, 'utf8') : '';
    })
    .join('\n');
}

describe('ASL conventions (statemachines/conventions.ts)', () => {
  it('finds the machines and their tasks', () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
    expect(tasks.length).toBeGreaterThanOrEqual(50);
  });

  it('formats every file as tools/asl/format.ts does (npm run asl:format)', () => {
    const unformatted = files.filter((file) => reformatAsl(texts.get(file) ?? '', file) !== texts.get(file));
    expect(unformatted).toEqual([]);
  });

  it('gives every Task the canonical retrier, alone or after the polls of a named variant', () => {
    const wrong = tasks.filter(({ state }) => variantOf(state.Retry) === null).map(({ where }) => where);
    expect(wrong).toEqual([]);
  });

  it('uses every named variant somewhere (a variant nothing uses is a stale exception)', () => {
    const used = new Set(tasks.map(({ state }) => variantOf(state.Retry)));
    expect(Object.keys(RETRIER_VARIANTS).filter((name) => !used.has(name))).toEqual([]);
  });

  it('catches only States.* errors and the documented errors a function raises', () => {
    const caught = new Set(everyState.flatMap(({ state }) => (state.Catch ?? []).flatMap((c) => c.ErrorEquals)));
    const own = [...caught].filter((name) => !name.startsWith('States.'));
    expect(own.filter((name) => !(name in CAUGHT_ERRORS))).toEqual([]);
    const sources = functionSources();
    expect(Object.keys(CAUGHT_ERRORS).filter((name) => !sources.includes(`'${name}'`) && !sources.includes(`class ${name} `))).toEqual([]);
  });

  it('has the same approvers Map in every machine that asks for approval, apart from its Next', () => {
    const maps = [...machines].flatMap(([file, machine]) => {
      const state = machine.States[APPROVERS_MAP_STATE];
      return state ? [{ file, state, machine }] : [];
    });
    expect(maps.length).toBeGreaterThanOrEqual(3);
    // A machine's own extra Catch entries come first; without them the Maps are the same.
    const shared = ({ file, state }: { file: string; state: State }) => {
      const extra = APPROVERS_MAP_EXTRA_CATCHES[file] ?? [];
      const catches = state.Catch ?? [];
      expect(catches.slice(0, extra.length).map((c) => c.ErrorEquals.join()), file).toEqual([...extra]);
      return JSON.stringify({ ...state, Catch: catches.slice(extra.length), Next: undefined });
    };
    const [first, ...others] = maps.map(shared);
    for (const other of others) expect(other).toEqual(first);
    for (const { file, state, machine } of maps) {
      const targets = [state.Next, ...(state.Catch ?? []).map((c) => (c as { Next?: string }).Next)];
      expect(targets.filter((name) => typeof name !== 'string' || !(name in machine.States)), file).toEqual([]);
    }
  });

  it('bounds every event wait: a safety poll of at most 15 minutes back to a check, a deadline of at least six hours', () => {
    const waits = everyState.filter(({ state }) => (state.Parameters as { FunctionName?: string } | undefined)?.FunctionName === EVENT_WAITS.functionArn);
    expect(waits.length).toBeGreaterThanOrEqual(6);
    for (const { where, state } of waits) {
      const payload = (state.Parameters as { Payload: { deadlineSeconds?: number } }).Payload;
      expect(state.Resource, where).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
      expect(state.TimeoutSeconds as number, where).toBeLessThanOrEqual(EVENT_WAITS.maxSafetyPollSeconds);
      expect(payload.deadlineSeconds, where).toBeGreaterThanOrEqual(EVENT_WAITS.minDeadlineSeconds);
      expect((state.Catch ?? []).map((c) => c.ErrorEquals.join()), where).toEqual(['States.Timeout', 'States.ALL']);
    }
  });
});

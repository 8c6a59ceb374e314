import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { classifySubstitution } from '../../../infra/spec/substitutions.ts';
import { prepareJoinOutputSchema } from '#lib/tasks/prepare-join';

/**
 * A Task's result lands at its ResultPath; the states after it read `$.<ResultPath>.<key>...`.
 * Where the function's contract (functions/lib/tasks/<name>.ts) exports `<name>OutputSchema`,
 * every such path in the same scope (a States list: the machine, a Map's ItemProcessor, a
 * Parallel branch) must name keys of that schema, and every path a Task's ResultSelector reads
 * from the raw result too. A renamed output field or a typo in the ASL fails here, not in an
 * execution that silently reads nothing.
 */
const root = path.resolve(import.meta.dirname, '../../..');
const machines = readdirSync(path.join(root, 'statemachines')).filter((name) => name.endsWith('.asl.json'));

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type State = Record<string, Json>;

const camel = (kebab: string): string => kebab.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());

async function outputSchemaOf(name: string): Promise<z.ZodType | undefined> {
  const contract = (await import(path.join(root, 'functions/lib/tasks', `${name}.ts`))) as Record<string, unknown>;
  return contract[`${camel(name)}OutputSchema`] as z.ZodType | undefined;
}

/** `$.a.b[0].c` -> ['a', 'b', '[]', 'c']. */
const segments = (jsonPath: string): string[] =>
  jsonPath
    .slice(2)
    .replace(/\[[^\]]*\]/g, '.[]')
    .split('.')
    .filter((part) => part !== '');

/** Every JSONPath (`$.` ...) a state reads, not descending into nested States lists; its ResultPath is a write. */
function pathsIn(value: Json, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(...(value.match(/\$\.[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+|\[[^\]]*\])*/g) ?? []));
  else if (Array.isArray(value)) for (const item of value) pathsIn(item, out);
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) if (!['ItemProcessor', 'Iterator', 'Branches', 'ResultPath'].includes(key)) pathsIn(inner, out);
  }
  return out;
}

/**
 * Whether `parts` can be read from a value of `schema`: undefined when yes, else the first part
 * that is not there. Loose objects, records, unknowns and customs accept any key.
 */
export function missingKey(schema: z.ZodType, parts: readonly string[]): string | undefined {
  const [part, ...rest] = parts;
  if (part === undefined) return undefined;
  const def = (schema as unknown as { def: Record<string, unknown> & { type: string } }).def;
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'nonoptional':
      return missingKey(def.innerType as z.ZodType, parts);
    case 'pipe':
      return missingKey(def.out as z.ZodType, parts);
    case 'union': {
      const misses = (def.options as z.ZodType[]).map((option) => missingKey(option, parts));
      return misses.includes(undefined) ? undefined : misses[0];
    }
    case 'array':
      return part === '[]' ? missingKey(def.element as z.ZodType, rest) : part;
    case 'object': {
      const shape = def.shape as Record<string, z.ZodType>;
      const inner = shape[part];
      if (inner) return missingKey(inner, rest);
      const catchall = def.catchall as { def: { type: string } } | undefined;
      return catchall && catchall.def.type !== 'never' ? undefined : part;
    }
    case 'record':
    case 'unknown':
    case 'any':
    case 'custom':
      return undefined;
    default:
      return part;
  }
}

interface Finding {
  machine: string;
  path: string;
  fn: string;
  missing: string;
}

interface Checked {
  findings: Finding[];
  checked: string[];
}

async function checkScope(machine: string, states: Record<string, State>, result: Checked): Promise<void> {
  const writers = new Map<string, { fn: string; schema: z.ZodType }[]>();
  const paths: string[] = [];
  /** Where states other than these Tasks write (a Pass adding `$.timing.outcome`): what is read below them is theirs. */
  const otherWrites: string[] = [];
  for (const state of Object.values(states)) {
    paths.push(...pathsIn(state));
    if (typeof state.ResultPath === 'string' && state.Type !== 'Task') otherWrites.push(state.ResultPath);
    const nested = [state.ItemProcessor, state.Iterator].filter((inner): inner is { States: Json } & Record<string, Json> => !!inner && typeof inner === 'object' && !Array.isArray(inner));
    for (const inner of nested) await checkScope(machine, inner.States as Record<string, State>, result);
    if (Array.isArray(state.Branches)) for (const branch of state.Branches as { States: Record<string, State> }[]) await checkScope(machine, branch.States, result);
    if (state.Type !== 'Task') continue;
    const key = /\$\{(\w+FunctionArn)\}/.exec(JSON.stringify(state))?.[1];
    if (!key) continue;
    const fn = classifySubstitution(key).resource;
    const schema = await outputSchemaOf(fn);
    if (!schema) continue;
    if (state.ResultSelector) {
      for (const read of pathsIn(state.ResultSelector)) {
        result.checked.push(`${machine} ${read} (ResultSelector of ${fn})`);
        const missing = missingKey(schema, segments(read));
        if (missing) result.findings.push({ machine, path: read, fn, missing });
      }
      continue;
    }
    if (typeof state.ResultPath === 'string' && state.ResultPath.startsWith('$.')) {
      writers.set(state.ResultPath, [...(writers.get(state.ResultPath) ?? []), { fn, schema }]);
    }
  }
  for (const read of new Set(paths)) {
    if (otherWrites.some((written) => read === written || read.startsWith(`${written}.`))) continue;
    for (const [resultPath, fns] of writers) {
      if (!read.startsWith(`${resultPath}.`) && !read.startsWith(`${resultPath}[`)) continue;
      const rest = segments(read).slice(segments(resultPath).length);
      result.checked.push(`${machine} ${read}`);
      const misses = fns.map(({ schema }) => missingKey(schema, rest));
      if (!misses.includes(undefined)) result.findings.push({ machine, path: read, fn: fns.map((f) => f.fn).join('|'), missing: misses[0] ?? '?' });
    }
  }
}

describe('ASL paths read from Task results', () => {
  it('name keys of the output schema of the function that wrote them', async () => {
    const result: Checked = { findings: [], checked: [] };
    for (const machine of machines) {
      const definition = JSON.parse(readFileSync(path.join(root, 'statemachines', machine), 'utf8')) as { States: Record<string, State> };
      await checkScope(machine, definition.States, result);
    }
    expect(result.findings).toEqual([]);
    // Not vacuous: the joiner's and mover's $.request, the leaver's $.leave, the account loops, ...
    expect(result.checked.length).toBeGreaterThan(50);
    expect(result.checked).toContain('joiner.asl.json $.request.decision.decision');
    expect(result.checked).toContain('leaver.asl.json $.leave.userName');
    expect(result.checked).toContain('catalogue-convergence.asl.json $.plan.guard.outcome');
    expect(result.checked).toContain('access-review.asl.json $.progress.nextAt');
    expect(result.checked).toContain('time-bound.asl.json $.plan.accountTargets');
  });

  it('catches a key the schema does not have, through optionals, unions and arrays', () => {
    expect(missingKey(prepareJoinOutputSchema, ['decision', 'decision'])).toBeUndefined();
    expect(missingKey(prepareJoinOutputSchema, ['ignored', 'detail'])).toBeUndefined();
    expect(missingKey(prepareJoinOutputSchema, ['accountTargets', '[]', 'accountId'])).toBeUndefined();
    expect(missingKey(prepareJoinOutputSchema, ['decsion'])).toBe('decsion');
    expect(missingKey(prepareJoinOutputSchema, ['accountTargets', '[]', 'acountId'])).toBe('acountId');
    expect(missingKey(prepareJoinOutputSchema, ['endAt', 'date'])).toBe('date');
  });
});

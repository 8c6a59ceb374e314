import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../../infra/spec/functions.ts';
import { classifySubstitution, substitutionKeys } from '../../../infra/spec/substitutions.ts';

/**
 * Every function a state machine runs as a Task has its contract in functions/lib/tasks/<name>.ts
 * (input and output schemas, named like the function folder), and its handler parses with it.
 * Task functions are read from the ASL: `Resource` or `Parameters.FunctionName` `${<Name>FunctionArn}`.
 */
const root = path.resolve(import.meta.dirname, '../../..');
const machines = readdirSync(path.join(root, 'statemachines')).filter((name) => name.endsWith('.asl.json'));

const taskFunctions = [
  ...new Set(
    machines.flatMap((file) =>
      substitutionKeys(readFileSync(path.join(root, 'statemachines', file), 'utf8'))
        .map(classifySubstitution)
        .filter((sub) => sub.kind === 'function')
        .map((sub) => sub.resource),
    ),
  ),
].sort();

type AslState = { Resource?: unknown; Parameters?: { FunctionName?: unknown }; Arguments?: { FunctionName?: unknown }; Iterator?: AslScope; ItemProcessor?: AslScope; Branches?: AslScope[] };
type AslScope = { States: Record<string, AslState> };

/** Function folder -> the names of the Task states (any machine, any nesting) that run it. */
function statesByFunction(): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  const walk = (states: Record<string, AslState>): void => {
    for (const [stateName, state] of Object.entries(states)) {
      for (const ref of [state.Resource, state.Parameters?.FunctionName, state.Arguments?.FunctionName]) {
        if (typeof ref !== 'string') continue;
        for (const sub of substitutionKeys(ref).map(classifySubstitution)) {
          if (sub.kind === 'function') found.set(sub.resource, (found.get(sub.resource) ?? new Set()).add(stateName));
        }
      }
      for (const inner of [state.Iterator, state.ItemProcessor, ...(state.Branches ?? [])]) if (inner) walk(inner.States);
    }
  };
  for (const file of machines) walk((JSON.parse(readFileSync(path.join(root, 'statemachines', file), 'utf8')) as AslScope).States);
  return found;
}

const contractOf = (name: string): string => path.join(root, 'functions/lib/tasks', `${name}.ts`);

describe('task contracts', () => {
  it('finds the Task functions in the ASL, each a function folder', () => {
    expect(taskFunctions.length).toBeGreaterThan(20);
    for (const name of taskFunctions) expect(existsSync(path.join(root, 'functions', name, 'handler.ts')), name).toBe(true);
  });

  it.each(taskFunctions)('%s has functions/lib/tasks/<name>.ts and its handler imports it', (name) => {
    expect(existsSync(contractOf(name))).toBe(true);
    expect(readFileSync(path.join(root, 'functions', name, 'handler.ts'), 'utf8')).toContain(`from '#lib/tasks/${name}'`);
  });

  /**
   * One place for each step's description (issue #10): the contract's TASK names the ASL states
   * that run the function and says what it does; the infra spec's Lambda description is read from it.
   */
  it.each(taskFunctions)('%s: its TASK names exactly the ASL states that run it, and the infra spec reads its description', async (name) => {
    const { TASK } = (await import(contractOf(name))) as { TASK?: { description: string; states: readonly string[] } };
    expect(TASK, `functions/lib/tasks/${name}.ts exports no TASK`).toBeDefined();
    expect(TASK!.description.length).toBeGreaterThan(10);
    // Lambda's Description is at most 256 characters (Lambda API reference, CreateFunction).
    expect(TASK!.description.length).toBeLessThanOrEqual(256);
    expect([...new Set(TASK!.states)].sort()).toEqual([...(statesByFunction().get(name) ?? [])].sort());
    expect(TASK!.states.length, 'a state is listed twice').toBe(new Set(TASK!.states).size);
    expect(FUNCTIONS.find((spec) => spec.name === name)?.description).toBe(TASK!.description);
  });
});

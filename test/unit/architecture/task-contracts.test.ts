import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
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

});

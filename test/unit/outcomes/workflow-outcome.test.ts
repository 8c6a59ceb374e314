import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isOutcomeWords, namedOutcome, outcomeIn, wordsOf, workflowOutcomeSchema } from '#lib/domain/outcomes/workflow-outcome';

/** Every way a workflow can end names its outcome in the one shape (issue #18), read from the ASL itself. */
interface State {
  Type: string;
  Resource?: string;
  Next?: string;
  Default?: string;
  End?: boolean;
  Result?: unknown;
  ResultPath?: string;
  OutputPath?: string;
  CausePath?: string;
  Cause?: string;
  Catch?: { Next: string }[];
  Choices?: { Next: string }[];
}
const WORKFLOWS = ['joiner', 'mover', 'leaver', 'time-bound'];
const machine = (name: string): Record<string, State> =>
  (JSON.parse(readFileSync(join(import.meta.dirname, '../../../statemachines', `${name}.asl.json`), 'utf8')) as { States: Record<string, State> }).States;
const predecessors = (states: Record<string, State>, target: string): string[] =>
  Object.entries(states)
    .filter(([, s]) => [s.Next, s.Default, ...(s.Catch ?? []).map((c) => c.Next), ...(s.Choices ?? []).map((c) => c.Next)].includes(target))
    .map(([name]) => name);
const recordsOutcome = (state: State | undefined): boolean => state?.Resource === '${RecordOutcomeFunctionArn}' && state.ResultPath === '$.outcome';
/** Tasks whose result names the outcome itself (the leaver's cancellation: cancelled or ignored), output as is. */
const NAMING_TASKS = ['${ScheduleLeaveFunctionArn}'];
const namesOutcome = (state: State | undefined, end: State): boolean => NAMING_TASKS.includes(state?.Resource ?? '') && state?.ResultPath === end.OutputPath;

describe.each(WORKFLOWS)('%s: every end names its outcome', (workflow) => {
  const states = machine(workflow);
  const ends = Object.entries(states).filter(([, s]) => s.End === true || s.Type === 'Succeed' || s.Type === 'Fail');

  it('has ends, each a named Pass, or a Succeed / Fail reached only from Record Outcome', () => {
    expect(ends.length).toBeGreaterThanOrEqual(4);
    for (const [name, state] of ends) {
      if (state.Type === 'Pass') {
        const outcome = workflowOutcomeSchema.parse(state.Result);
        // The words are the result's, with a fixed why where the state says one (`ignored (nothing changed): stale`).
        expect(outcome.words === wordsOf(outcome.result) || outcome.words.startsWith(`${wordsOf(outcome.result)}: `), `${name}: ${outcome.words}`).toBe(true);
        // The outcome lands in the output: at $.outcome, or inside the object the state outputs.
        expect(state.ResultPath, name).toBe(state.OutputPath ? `${state.OutputPath}.outcome` : '$.outcome');
        continue;
      }
      const from = predecessors(states, name);
      expect(from.length, name).toBeGreaterThan(0);
      expect(from.filter((p) => !recordsOutcome(states[p]) && !namesOutcome(states[p], state)), `${name} is reached from a state that names no outcome`).toEqual([]);
      if (state.Type === 'Fail') {
        expect(state.CausePath, name).toBe('$.outcome.words');
        expect(state.Cause, name).toBeUndefined();
      }
    }
  });
});

describe('the outcome shape', () => {
  it('says a failure with its step and whether it was undone, a rejection with why', () => {
    expect(namedOutcome('failed', { step: 'Launch Workstation', undone: true })).toEqual({
      result: 'failed',
      words: 'failed: Launch Workstation (what was provisioned was undone)',
      step: 'Launch Workstation',
      undone: true,
    });
    expect(wordsOf('failed', { step: 'Leaver workflow' })).toBe('failed: Leaver workflow');
    expect(wordsOf('rejected', { why: 'ValidationError' })).toBe('rejected: ValidationError');
    expect(wordsOf('expired')).toBe('expired (no approver answered in time)');
  });

  it('is found in an output and recognised as a Cause, and nothing else is', () => {
    expect(outcomeIn({ outcome: { result: 'denied', words: 'denied', marked: 'marked' }, employeeId: 'E-1' })).toEqual({ result: 'denied', words: 'denied' });
    expect(outcomeIn({ outcome: { result: 'nonsense', words: 'x' } })).toBeUndefined();
    expect(outcomeIn({ outcome: 'provisioned' })).toBeUndefined();
    expect(isOutcomeWords('failed: Launch Workstation')).toBe(true);
    expect(isOutcomeWords('rejected: ValidationError')).toBe(true);
    expect(isOutcomeWords('Provisioning failed; see the audit trail for this request.')).toBe(false);
    expect(isOutcomeWords(undefined)).toBe(false);
  });
});

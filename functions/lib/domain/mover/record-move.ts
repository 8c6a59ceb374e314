import type { Clock } from '../shared/clock.ts';
import type { MoveStore } from './ports.ts';
import type { RecordMoveInput } from '../../tasks/record-move.ts';

/**
 * Update Employee Role / Record Employee Change: the employees table takes the event's role and
 * other fields, once the access matches them. An older event never overwrites a newer one, and
 * someone who left is not brought back (both answer `stale`).
 */
export async function recordMove(deps: { store: Pick<MoveStore, 'recordChange'>; clock: Clock }, input: RecordMoveInput): Promise<{ employee: 'written' | 'stale'; role: string }> {
  const employee = await deps.store.recordChange({
    employee: input.employee,
    occurredAt: input.occurredAt,
    requestId: input.requestId,
    at: deps.clock.now().toISOString(),
  });
  return { employee, role: input.employee.role };
}

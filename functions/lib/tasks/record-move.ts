import { z } from 'zod';
import { employeeSchema } from '../domain/events/employee-events.ts';
import { moveTaskBase } from '../domain/mover/schemas.ts';
import { requestIdSchema } from '../domain/shared/ids.ts';

/**
 * functions/record-move, mover "Record Employee Change" (role unchanged) and "Update Employee
 * Role": the employees table takes the event's role and fields (conditional on the event being
 * newer). Returns { employee: written | stale, role }.
 */
export const recordMoveInputSchema = z.object({
  ...moveTaskBase,
  requestId: requestIdSchema,
  employee: employeeSchema,
  occurredAt: z.iso.datetime({ offset: true }),
});
export type RecordMoveInput = z.infer<typeof recordMoveInputSchema>;

/**
 * What `functions/record-move` does (its Lambda description, read by infra/spec/functions) and the ASL
 * Task states that run it (test/unit/architecture/task-contracts.test.ts checks both against the ASL).
 */
export const TASK = {
  description:
    'Mover "Update Employee Role" / "Record Employee Change": the employee item takes the event\'s role and fields (conditional).',
  states: ['Record Employee Change', 'Update Employee Role'],
} as const;

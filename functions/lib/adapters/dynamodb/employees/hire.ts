import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { employeeItemOf } from './item.ts';
import { mergeIntoEmployee } from './merge.ts';
import { NotFoundError } from '../../../domain/shared/errors.ts';
import { hrisSourceSchema } from '../../../domain/events/employee-events.ts';
import { employeeOf, hireFacts, hireVerdict, profileTime, type PersonFacts } from '../../../domain/ordering/merge.ts';
import type { EmployeeDirectory } from '../../../domain/joiner/ports.ts';

/** When what made the hire stale was applied: the leave's time for someone who left, else the newest fact's. */
function appliedAt(facts: PersonFacts): { appliedAt?: string } {
  const at = facts.status?.value === 'left' ? facts.status.at : (profileTime(facts) ?? facts.status?.at);
  return at ? { appliedAt: at } : {};
}

export function createEmployeeDirectory(options: { client: DynamoDBDocumentClient; tableName: string }): EmployeeDirectory {
  return {
    // Per-fact merge (merge.ts): the hire sets the facts it is newer for; the joiner acts on the merged record.
    async upsertHire({ employee, source, occurredAt, requestId, at }) {
      const result = await mergeIntoEmployee(options, employee.employeeId, hireFacts(employee, occurredAt), { requestId, at, extra: { source } });
      if (result.before.leftUntimed) return { stale: 'left-before-ordering', ...appliedAt(result.merged) };
      const retry = result.before.statusBy === requestId && result.merged.status?.at === new Date(occurredAt).toISOString();
      const verdict = hireVerdict(result, retry);
      const merged = employeeOf(employee.employeeId, result.merged);
      if (!verdict.act || !merged) return { stale: verdict.act ? 'newer-applied' : verdict.why, ...appliedAt(result.merged) };
      return { written: true, generation: result.generation ?? new Date(occurredAt).toISOString(), employee: merged };
    },

    async sourceOf(employeeId) {
      const parsed = z.object({ source: hrisSourceSchema }).safeParse(await employeeItemOf(options, employeeId));
      if (!parsed.success) throw new NotFoundError(`employeeId: no employee ${employeeId} with a known HRIS source`);
      return parsed.data.source;
    },
  };
}

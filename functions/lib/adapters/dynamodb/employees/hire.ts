import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { callAws, isConditionFailure } from '../../aws/call-aws.ts';
import { EMPLOYED_SINCE, employeeItemOf, employeeUpdate } from './item.ts';
import { NotFoundError } from '../../../domain/shared/errors.ts';
import { hrisSourceSchema } from '../../../domain/events/employee-events.ts';
import type { AppliedFacts } from '../../../domain/ordering/person-facts.ts';
import type { EmployeeDirectory } from '../../../domain/joiner/ports.ts';

const appliedFactsSchema = z.looseObject({
  status: z.string().optional(),
  hrisOccurredAt: z.string().optional(),
  statusOccurredAt: z.string().optional(),
  lastRequestId: z.string().optional(),
});

export function createEmployeeDirectory(options: { client: DynamoDBDocumentClient; tableName: string }): EmployeeDirectory {
  const { client, tableName: TableName } = options;
  const appliedFacts = async (employeeId: string): Promise<AppliedFacts> => appliedFactsSchema.parse((await employeeItemOf(options, employeeId)) ?? {});
  return {
    async upsertHire({ employee, source, occurredAt, requestId, at }) {
      const statusOccurredAt = new Date(occurredAt).toISOString();
      const update = employeeUpdate({ employee, occurredAt, requestId, at }, { status: 'active', startDate: employee.startDate, source, statusOccurredAt });
      try {
        const out = await callAws('writing the employee', () =>
          client.send(
            new UpdateCommand({
              TableName,
              Key: { employeeId: employee.employeeId },
              ...update,
              UpdateExpression: update.UpdateExpression.replace(/^SET /, 'SET #employedSince = if_not_exists(#employedSince, :statusOccurredAt), '),
              ExpressionAttributeNames: { ...update.ExpressionAttributeNames, '#employedSince': EMPLOYED_SINCE },
              ReturnValues: 'UPDATED_NEW',
              // person-facts.ts staleHire, atomically: newer than the profile and the status facts (equal only
              // for a retry of the request that wrote them), and never over a leave recorded without its time.
              ConditionExpression: [
                '(attribute_not_exists(#hrisOccurredAt) OR #hrisOccurredAt < :hrisOccurredAt OR (#hrisOccurredAt = :hrisOccurredAt AND #lastRequestId = :lastRequestId))',
                '(attribute_not_exists(#statusOccurredAt) OR #statusOccurredAt < :statusOccurredAt OR (#statusOccurredAt = :statusOccurredAt AND #lastRequestId = :lastRequestId))',
                '(attribute_not_exists(#status) OR #status <> :left OR attribute_exists(#statusOccurredAt))',
              ].join(' AND '),
              ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ':left': 'left' },
            }),
          ),
        );
        const generation = z.object({ [EMPLOYED_SINCE]: z.string() }).safeParse(out.Attributes);
        return { written: true, generation: generation.success ? generation.data[EMPLOYED_SINCE] : statusOccurredAt };
      } catch (error) {
        if (isConditionFailure(error)) return { stale: await appliedFacts(employee.employeeId) };
        throw error;
      }
    },

    async sourceOf(employeeId) {
      const parsed = z.object({ source: hrisSourceSchema }).safeParse(await employeeItemOf(options, employeeId));
      if (!parsed.success) throw new NotFoundError(`employeeId: no employee ${employeeId} with a known HRIS source`);
      return parsed.data.source;
    },
  };
}

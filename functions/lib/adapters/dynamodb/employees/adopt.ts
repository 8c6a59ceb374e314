import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { callAws, isConditionFailure } from '../../aws/call-aws.ts';
import { EMPLOYED_SINCE, employeeUpdate, scanEmployeeItems } from './item.ts';
import type { ManagedPerson } from '../../../domain/adoption/inventory.ts';
import type { AdoptionEmployees } from '../../../domain/adoption/ports.ts';

/**
 * The employees item of an adopted person (issue #14): the same fields a hire writes
 * (item.ts employeeUpdate), status active, their employment starting at the adoption, and the
 * existing Identity Store user recorded as theirs (`identityUserId`, which leaver, mover and
 * time-bound revocation look up first: aws/identity-link.ts) without `identityUserCreatedBy`, so
 * compensation never deletes a user Gatehouse did not create. Written only when absent: a person
 * Gatehouse knows already (a hire came first, an earlier apply) is left as it is.
 */

export interface EmployeesTable {
  client: Pick<DynamoDBDocumentClient, 'send'>;
  tableName: string;
}

export function createAdoptionEmployees(table: EmployeesTable): AdoptionEmployees {
  return {
    async recordAdopted({ employee, source, userId, at, requestId }) {
      const update = employeeUpdate(
        { employee, occurredAt: at, requestId, at },
        { status: 'active', startDate: employee.startDate, source, statusOccurredAt: at, [EMPLOYED_SINCE]: at, identityUserId: userId, adoptedAt: at },
      );
      try {
        await callAws('recording the adopted employee', () =>
          table.client.send(
            new UpdateCommand({
              TableName: table.tableName,
              Key: { employeeId: employee.employeeId },
              ...update,
              ConditionExpression: 'attribute_not_exists(employeeId)',
            }),
          ),
        );
        return 'written';
      } catch (error) {
        if (isConditionFailure(error)) return 'exists';
        throw error;
      }
    },
  };
}

const managedSchema = z.looseObject({ employeeId: z.string().min(1), status: z.string().default('active'), identityUserId: z.string().optional() });

/** Everyone the employees table holds (every page): the people adoption leaves alone. */
export async function managedPeople(table: EmployeesTable): Promise<ManagedPerson[]> {
  return (await scanEmployeeItems(table)).map((item) => {
    const { employeeId, status, identityUserId } = managedSchema.parse(item);
    return { employeeId, status, identityUserId };
  });
}

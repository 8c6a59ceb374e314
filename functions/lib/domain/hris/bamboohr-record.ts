import { z } from 'zod';
import { BambooFieldValues } from '#lib/domain/hris/bamboohr-fields';
import { BAMBOOHR_FIELDS, type BambooField } from '#lib/domain/hris/bamboohr-mapping';
import { invalid, parseWith } from '#lib/domain/hris/parse';
import type { DirectoryEmployee } from '#lib/domain/hris/types';
import { recordRoot } from './vendor-records.ts';

/**
 * What Gatehouse reads from BambooHR (`GET /v1/employees/{id}?fields=...` and the custom
 * report used for the roster, documentation.bamboohr.com "Get Employee", "Request Custom
 * Report"): the API aliases of the fields the webhook adapter knows (bamboohr-mapping.ts),
 * so one reader serves webhooks and the REST API. Unauthorized fields are silently omitted
 * by BambooHR; a missing required one is a ValidationError naming it.
 */
const apiAlias = (field: BambooField): string => BAMBOOHR_FIELDS[field][1];

export const BAMBOOHR_API_FIELDS: readonly string[] = (
  ['firstName', 'lastName', 'workEmail', 'jobTitle', 'gatehouseRole', 'department', 'supervisorId', 'supervisorEmail', 'employmentStatus', 'status', 'hireDate', 'contractEndDate'] as const
).map(apiAlias);

const bambooRowSchema = z.looseObject({ id: z.union([z.string().min(1), z.number().int().nonnegative()]).transform(String) });

/** One BambooHR employee row as a directory record. */
export function bamboohrRecord(value: unknown): DirectoryEmployee {
  const row = parseWith(bambooRowSchema, value, 'directory.bamboohr');
  const root = recordRoot('bamboohr', row.id);
  const values = new BambooFieldValues(row, []);
  try {
    if (!values.isComplete()) throw invalid(root, [], `is missing one of ${['workEmail', 'firstName', 'lastName', 'employmentHistoryStatus', 'hireDate', 'jobTitle'].join(', ')}`);
    return values.toEmployee(row.id);
  } catch (error) {
    // BambooFieldValues names paths from "body"; a directory record is named by its id.
    if (error instanceof Error && error.message.startsWith('body')) throw invalid(root, [], error.message.replace(/^body\.?/, ''), error);
    throw error;
  }
}

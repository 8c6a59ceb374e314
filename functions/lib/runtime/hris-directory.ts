import { readFileSync } from 'node:fs';
import { StaticDirectory } from '#lib/domain/hris/static-directory';
import type { EmployeeDirectoryPort } from '#lib/domain/hris/types';

/**
 * The HRIS directory the adapters consult for thin payloads. With `HRIS_DIRECTORY_FILE`
 * set (the local cloud: events/hris/directory.json) it is that file; otherwise no record
 * is known, so a thin payload is answered 503 and the HRIS retries later.
 * Vendor API clients (BambooHR / HiBob REST) are not built yet: see README "Gaps".
 */
export function directoryFromConfig(file: string | undefined): EmployeeDirectoryPort {
  if (file) return StaticDirectory.fromJson(readFileSync(file, 'utf8'));
  return { getEmployee: () => Promise.resolve(undefined) };
}

import type { DirectoryEmployee } from '#lib/domain/hris/types';
import { ValidationError } from '#lib/domain/shared/errors';

/** One roster row: a usable record, or the id of a person whose record is not (the problem names the field). */
export type RosterEntry = { ok: true; record: DirectoryEmployee } | { ok: false; employeeId: string; problem: string };

/** What each vendor REST client offers: one person by id (thin webhooks) and the whole roster, inactive people included (adoption). */
export interface VendorDirectoryClient {
  /** `undefined` when the vendor does not know the id (404). */
  getEmployee(employeeId: string): Promise<DirectoryEmployee | undefined>;
  roster(): AsyncGenerator<RosterEntry>;
}

/** Reads a roster row; a record that does not fit is reported, not thrown, so one bad row does not stop a roster. */
export function rosterEntry(employeeId: string, read: () => DirectoryEmployee): RosterEntry {
  try {
    return { ok: true, record: read() };
  } catch (error) {
    if (error instanceof ValidationError) return { ok: false, employeeId, problem: error.message };
    throw error;
  }
}

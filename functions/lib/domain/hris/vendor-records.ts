import { formatPath, invalid } from '#lib/domain/hris/parse';
import type { DirectoryEmployee } from '#lib/domain/hris/types';

/**
 * Shared by the vendor record readers: a vendor record becomes a {@link DirectoryEmployee}
 * or a ValidationError naming `directory.<vendor>["<id>"].<field>`; values are never echoed.
 */
export const recordRoot = (vendor: string, employeeId: string): string => formatPath(`directory.${vendor}`, [employeeId]);

/** Drops undefined values so optional fields are absent rather than `undefined`. */
export function compact(record: Record<string, unknown>): DirectoryEmployee {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined && value !== null && value !== '')) as DirectoryEmployee;
}

/** The trimmed string, undefined for null/absent/blank. */
export const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

export function required<T>(value: T | undefined, root: string, path: readonly PropertyKey[]): T {
  if (value === undefined) throw invalid(root, path, 'required');
  return value;
}

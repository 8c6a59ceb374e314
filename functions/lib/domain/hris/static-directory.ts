import { z } from 'zod';
import { ConfigError } from '#lib/domain/shared/errors';
import { hrisSourceSchema, type HrisSource } from '#lib/domain/events/employee-events';
import { formatPath } from './parse.ts';
import { directoryEmployeeSchema, type DirectoryEmployee, type EmployeeDirectoryPort } from './types.ts';

/**
 * An {@link EmployeeDirectoryPort} over a fixed JSON map, for the local cloud and tests
 * (`events/hris/directory.json`): `{ "<source>": { "<employeeId>": <DirectoryEmployee> } }`.
 * Nothing AWS, nothing network. The map is validated once; a bad map is a ConfigError
 * naming the path.
 */
export const directoryMapSchema = z.partialRecord(hrisSourceSchema, z.record(z.string(), directoryEmployeeSchema));
export type DirectoryMap = z.infer<typeof directoryMapSchema>;

export class StaticDirectory implements EmployeeDirectoryPort {
  private readonly records: ReadonlyMap<string, DirectoryEmployee>;

  constructor(map: unknown) {
    const parsed = directoryMapSchema.safeParse(map);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ConfigError(`${formatPath('directory', issue?.path ?? [])}: ${issue?.message ?? 'invalid'}`, { cause: parsed.error });
    }
    const records = new Map<string, DirectoryEmployee>();
    for (const [source, employees] of Object.entries(parsed.data)) {
      for (const [key, record] of Object.entries(employees ?? {})) {
        if (record.employeeId !== key) throw new ConfigError(`${formatPath('directory', [source, key, 'employeeId'])}: must equal its key`);
        records.set(StaticDirectory.key(source, key), record);
      }
    }
    this.records = records;
  }

  static fromJson(text: string): StaticDirectory {
    let map: unknown;
    try {
      map = JSON.parse(text);
    } catch (cause) {
      throw new ConfigError('directory: not valid JSON', { cause });
    }
    return new StaticDirectory(map);
  }

  private static key(source: string, employeeId: string): string {
    return `${source}\u0000${employeeId}`;
  }

  getEmployee(source: HrisSource, employeeId: string): Promise<DirectoryEmployee | undefined> {
    const record = this.records.get(StaticDirectory.key(source, employeeId));
    return Promise.resolve(record === undefined ? undefined : structuredClone(record));
  }
}

import { z } from 'zod';
import {
  employeeChangedSchema,
  employeeHiredSchema,
  employeeLeaveCancelledSchema,
  employeeLeftSchema,
  hrisEmployeeSchema,
  type HrisSource,
} from '#lib/domain/events/employee-events';
import type { Clock } from '#lib/domain/shared/clock';

/**
 * The contract every HRIS adapter implements, so supporting a new HRIS is one new file
 * plus one line in `registry.ts`. Adapters are pure: no AWS, no network; the only
 * outside world they reach is the {@link EmployeeDirectoryPort}.
 */

/** An inbound webhook as the edge sees it: header names lower-cased, body untouched. */
export interface HrisRequest {
  headers: Record<string, string>;
  rawBody: Buffer;
}

/**
 * What the directory knows about an employee: the normalised {@link Employee} plus
 * `terminated`, because thin payloads (BambooHR event-based webhooks) only say *that*
 * a status field changed; the record says whether it was a termination. Every
 * `Employee` is a valid `DirectoryEmployee` (absent = not terminated).
 */
export const directoryEmployeeSchema = hrisEmployeeSchema.extend({
  /** HR has terminated this person (BambooHR status Inactive / employment status Terminated). */
  terminated: z.boolean().optional(),
});
export type DirectoryEmployee = z.infer<typeof directoryEmployeeSchema>;

/**
 * What an adapter makes of a delivery: the normalised events, except that a hire or change may
 * carry no role (only attributes). Ingest assigns the role from the catalogue before publishing
 * (domain/catalogue/assign-employee.ts), so the bus only ever carries {@link EmployeeEvent}s.
 */
export const hrisEventSchema = z.discriminatedUnion('type', [
  employeeHiredSchema.extend({ employee: hrisEmployeeSchema }),
  employeeChangedSchema.extend({ employee: hrisEmployeeSchema }),
  employeeLeftSchema,
  employeeLeaveCancelledSchema,
]);
export type HrisEvent = z.infer<typeof hrisEventSchema>;

/** The HRIS's own API, reached by clients whose vendor sends thin payloads. */
export interface EmployeeDirectoryPort {
  /** `undefined` when the HRIS does not (yet) know the employee. */
  getEmployee(source: HrisSource, employeeId: string): Promise<DirectoryEmployee | undefined>;
}

export interface HrisAdapter {
  readonly source: HrisSource;
  /**
   * Throws UnauthorizedError (whose message never says what was wrong) unless the
   * signature over the raw body bytes is valid and, where the scheme has a timestamp,
   * it is within +-5 minutes of `clock.now()`. Throws ConfigError for an empty secret.
   */
  verify(req: HrisRequest, secret: string, clock: Clock): void;
  /**
   * Parses and normalises the body. `[]` means a deliberately ignored event (a field
   * change that affects no access). Throws ValidationError naming the field path for
   * malformed or unknown payloads; TransientError when the directory does not know an
   * employee the payload names (the HRIS retries; its API may lag its webhooks).
   */
  normalise(req: HrisRequest, port: EmployeeDirectoryPort): Promise<HrisEvent[]>;
  /** The idempotency key of this delivery, `<source>-...`; never throws for a verified request. */
  deliveryId(req: HrisRequest): string;
}

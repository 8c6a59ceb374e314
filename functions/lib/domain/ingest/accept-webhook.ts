import { assignEvents, type VersionedCatalogue } from '#lib/domain/catalogue/assign-employee';
import { TransientError } from '#lib/domain/shared/errors';
import type { EmployeeEvent } from '#lib/domain/events/employee-events';
import { adapterFor, assertBodySize } from '#lib/domain/hris/registry';
import type { EmployeeDirectoryPort, HrisRequest } from '#lib/domain/hris/types';
import type { Clock } from '#lib/domain/shared/clock';
import { pastStartNote } from '#lib/domain/shared/dates';

/** Where normalised events go (the gatehouse EventBridge bus in production). */
export interface EventPublisher {
  /** Publishes all events or throws; returns nothing useful on purpose. */
  publish(events: EmployeeEvent[]): Promise<void>;
}

export interface SigningSecrets {
  /** The signing secret of one HRIS source. */
  secretFor(source: string): Promise<string>;
}

export interface AcceptWebhookDeps {
  secrets: SigningSecrets;
  directory: EmployeeDirectoryPort;
  publisher: EventPublisher;
  clock: Clock;
  /** The deployed catalogue: its assignment rules pick the role of hires and changes that carry none. */
  catalogue: VersionedCatalogue;
}

export interface Accepted {
  deliveryId: string;
  /** Events published; 0 when the delivery carried nothing that affects access. */
  events: number;
  /** What the sender should look at although the delivery was accepted (a hire starting in the past); absent when none. */
  warnings?: string[];
}

/**
 * A webhook from an HRIS, in the order that keeps bad input from costing anything:
 * known source (404), size (413), signature and timestamp (401), payload (400), a role for
 * every hire and change (an unknown HRIS role is 400; no role and no rule is the catalogue's `unassigned` outcome, decided
 * here and carried on the event for the workflow to audit), and only then publish. Nothing is published unless every check passed.
 */
export async function acceptWebhook(source: string, request: HrisRequest, deps: AcceptWebhookDeps): Promise<Accepted> {
  const adapter = adapterFor(source);
  assertBodySize(request.rawBody);
  adapter.verify(request, await deps.secrets.secretFor(source), deps.clock);
  const events = assignEvents(deps.catalogue, await adapter.normalise(request, deps.directory));
  if (events.length > 0) await deps.publisher.publish(events);
  const now = deps.clock.now();
  const warnings = events.flatMap((event) => (event.type === 'employee.hired' ? [pastStartNote(event.employee.employeeId, event.employee.startDate, now)] : [])).filter((note) => note !== undefined);
  return { deliveryId: adapter.deliveryId(request), events: events.length, ...(warnings.length > 0 ? { warnings } : {}) };
}

/** A publish that did not take every entry: the HRIS gets a 5xx and retries; delivery ids dedupe. */
export class PublishFailedError extends TransientError {}

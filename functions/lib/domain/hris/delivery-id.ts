import { createHash } from 'node:crypto';
import { employeeHiredSchema, type HrisSource } from '#lib/domain/events/employee-events';

/**
 * Delivery ids are the idempotency key and become the Step Functions execution name, so
 * they must match the event schema (`^[A-Za-z0-9_-]{1,64}$`) and must not collide across
 * sources. Every id is therefore `<source>-<vendor id>` when that fits, else
 * `<source>-<base64url SHA-256 of the vendor id>` (deterministic, so a redelivery maps
 * to the same id).
 */
const deliveryIdSchema = employeeHiredSchema.shape.deliveryId;

const sha256Base64Url = (data: Buffer | string): string => createHash('sha256').update(data).digest('base64url');

/** Prefixes a vendor-supplied id with the source; hashes it when it does not fit. */
export function deliveryIdFrom(source: HrisSource, vendorId: string): string {
  const candidate = `${source}-${vendorId}`;
  return deliveryIdSchema.safeParse(candidate).success ? candidate : `${source}-${sha256Base64Url(vendorId)}`;
}

/** For vendors without a delivery id: the SHA-256 of the exact body bytes (a retry sends the same bytes). */
export const bodyDeliveryId = (source: HrisSource, rawBody: Buffer): string => `${source}-${sha256Base64Url(rawBody)}`;

/**
 * One delivery may carry several employees (BambooHR field-based webhooks); each event
 * needs its own execution name. A single event keeps the delivery id; otherwise the
 * entry index is appended (hashed again if that no longer fits).
 */
export function entryDeliveryId(source: HrisSource, deliveryId: string, index: number, count: number): string {
  if (count === 1) return deliveryId;
  const candidate = `${deliveryId}-${index}`;
  return deliveryIdSchema.safeParse(candidate).success ? candidate : `${source}-${sha256Base64Url(candidate)}`;
}

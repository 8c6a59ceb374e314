import type { GrantItem } from './item.ts';
import type { Grant } from './grants.ts';
import { roleOfSource } from './source.ts';

/** The grants table's items as the pure grant model (grants.ts) sees them. */

/** Far future for a non-role grant that carries no expiry: it justifies its entitlement. */
const NO_EXPIRY = '9999-12-31T23:59:59Z';

/** Grant items as the pure grant model sees them; every non-`role:` source counts as a time-bound grant. */
export function asGrants(employeeId: string, items: readonly GrantItem[]): Grant[] {
  return items.map((item) => {
    const roleId = roleOfSource(item.source);
    if (roleId !== undefined) return { employeeId, entitlementId: item.entitlementId, source: { kind: 'role', roleId } };
    const expiresAt = item.expiresAt !== undefined && !Number.isNaN(Date.parse(item.expiresAt)) ? item.expiresAt : NO_EXPIRY;
    return { employeeId, entitlementId: item.entitlementId, source: { kind: 'time-bound', requestId: item.source, expiresAt } };
  });
}

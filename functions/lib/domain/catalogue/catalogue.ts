import type { z } from 'zod';
import { ConfigError } from '#lib/domain/shared/errors';
import { catalogueSchema, type Catalogue } from '#lib/domain/catalogue/schema';

export type { Catalogue, Entitlement, EntitlementKind, Risk, Role } from '#lib/domain/catalogue/schema';
export { maxTimeBoundMinutes } from '#lib/domain/catalogue/schema';
export type { ResolvedEntitlement } from '#lib/domain/catalogue/resolve';
export { findEntitlement, findRole, maxRisk, resolveEntitlements, roleRisk } from '#lib/domain/catalogue/resolve';

/** `roles[0].entitlements[2]` for a zod issue path. */
function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)),
    '',
  );
}

function formatIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${formatPath(issue.path) || '(root)'}: ${issue.message}`).join('; ');
}

/** Validates a catalogue document; the ConfigError names every offending field path. */
export function parseCatalogue(json: unknown): Catalogue {
  const result = catalogueSchema.safeParse(json);
  if (!result.success) {
    throw new ConfigError(`role catalogue is invalid: ${formatIssues(result.error)}`, { cause: result.error });
  }
  return result.data;
}

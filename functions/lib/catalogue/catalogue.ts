import type { z } from 'zod';
import { ConfigError } from '#lib/errors';
import { catalogueSchema, type Catalogue } from '#lib/catalogue/schema';
import { loadDeployedCatalogue } from '#lib/runtime/catalogue-source';

export type { Catalogue, Entitlement, EntitlementKind, Risk, Role } from '#lib/catalogue/schema';
export { maxJitMinutes } from '#lib/catalogue/schema';
export type { ResolvedEntitlement } from '#lib/catalogue/resolve';
export { findEntitlement, findRole, maxRisk, resolveEntitlements, roleRisk } from '#lib/catalogue/resolve';

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

const deployed = await loadDeployedCatalogue(process.env);

/**
 * The deployed catalogue, loaded at cold start from where the stack (or the local cloud) put it
 * (runtime/catalogue-source.ts), never from the bundle: a broken catalogue fails the init, naming
 * the source and the JSON path.
 */
export const roleCatalogue: Catalogue = deployed.catalogue;
/** Its content hash (domain/catalogue/version.ts), recorded on requests, grants and audit entries. */
export const catalogueVersionId: string = deployed.version;

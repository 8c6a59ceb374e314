import type { z } from 'zod';
import { ConfigError } from '#lib/domain/shared/errors';
import { catalogueSchema, type Catalogue } from '#lib/domain/catalogue/schema';


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

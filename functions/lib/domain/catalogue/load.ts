import type { z } from 'zod';
import { ConfigError } from '#lib/domain/shared/errors';
import { catalogueSchema, type Catalogue } from '#lib/domain/catalogue/schema';
import { catalogueVersion } from './version.ts';

/**
 * Checking a catalogue document: every problem with the JSON path where it is
 * (`$.roles[1].entitlements[0]`), so an operator can fix all of them in one pass. Used by
 * `gatehouse catalogue validate`, by synth (`-c catalogueFile=...`) and by the functions'
 * cold start; all three therefore refuse exactly the same files.
 */
export interface CatalogueIssue {
  readonly path: string;
  readonly message: string;
}

export interface LoadedCatalogue {
  readonly catalogue: Catalogue;
  /** Content hash (version.ts), recorded on requests, grants and audit entries. */
  readonly version: string;
}

export type CatalogueCheck = ({ readonly ok: true } & LoadedCatalogue) | { readonly ok: false; readonly issues: readonly CatalogueIssue[] };

/** The catalogue named by `source` (a file path, an S3 key, ...) is invalid; the message lists every issue. */
export class CatalogueInvalidError extends ConfigError {
  constructor(
    readonly source: string,
    readonly issues: readonly CatalogueIssue[],
    options?: ErrorOptions,
  ) {
    super(`role catalogue ${source} is invalid: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`, options);
  }
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `$.roles[0].entitlements[2]`, `$.assignments[0].when["custom.team"]`. */
export function jsonPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`;
    const name = String(key);
    return IDENTIFIER.test(name) ? `${text}.${name}` : `${text}[${JSON.stringify(name)}]`;
  }, '$');
}

/** zod reports a bad record key as "Invalid key in record" with the key's own issues inside: say those. */
function messageOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_key' && issue.issues.length > 0) return issue.issues.map((inner) => inner.message).join('; ');
  return issue.message;
}

export function issuesOf(error: z.ZodError): CatalogueIssue[] {
  return error.issues.map((issue) => ({ path: jsonPath(issue.path), message: messageOf(issue) }));
}

export function checkCatalogue(json: unknown): CatalogueCheck {
  const result = catalogueSchema.safeParse(json);
  if (!result.success) return { ok: false, issues: issuesOf(result.error) };
  return { ok: true, catalogue: result.data, version: catalogueVersion(result.data) };
}

/** JSON text first (a syntax error is one issue at `$`), then the schema. */
export function checkCatalogueText(text: string): CatalogueCheck {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, issues: [{ path: '$', message: `not JSON: ${(error as Error).message}` }] };
  }
  return checkCatalogue(json);
}

/** The catalogue in `text`, or a CatalogueInvalidError naming `source` and every JSON path at fault. */
export function loadCatalogue(text: string, source: string): LoadedCatalogue {
  const check = checkCatalogueText(text);
  if (!check.ok) throw new CatalogueInvalidError(source, check.issues);
  return { catalogue: check.catalogue, version: check.version };
}

import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { assignRole } from '../functions/lib/domain/catalogue/assignments.ts';
import { employeeAttributesSchema } from '../functions/lib/domain/events/attributes.ts';
import { changesAccess, diffCatalogues, type CatalogueDiff } from '../functions/lib/domain/catalogue/diff.ts';
import { CATALOGUE_SCHEMA_FILE, catalogueJsonSchemaText } from '../functions/lib/domain/catalogue/json-schema.ts';
import { checkCatalogueText, type LoadedCatalogue } from '../functions/lib/domain/catalogue/load.ts';
import { ValidationError } from '../functions/lib/domain/shared/errors.ts';

/**
 * `npm run gatehouse -- catalogue ...`: the operator's tools for the role catalogue
 * (docs/catalogue.md). Offline: they read files only.
 */
export const CATALOGUE_USAGE = `usage:
  gatehouse catalogue validate <file>...       every problem with its JSON path; exit 1 if any file is invalid
  gatehouse catalogue diff <old> <new> [--json] roles gaining and losing entitlements, rule and role changes
  gatehouse catalogue assign <file> --attributes '<json>' [--role <id>]
                                               which rule picks the role for these HRIS attributes
  gatehouse catalogue schema [--check]         write ${CATALOGUE_SCHEMA_FILE} from the zod schema (--check: exit 1 if stale)
exit codes: 0 ok, 1 invalid / stale / refused, 2 usage
`;

export interface CatalogueIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export interface CatalogueCliDeps {
  cwd: string;
  readFile?: (path: string) => string;
  writeFile?: (path: string, text: string) => void;
}

class UsageError extends Error {}

/** One file: the loaded catalogue, or its issues printed as `<file>: <path>: <message>`. */
function load(file: string, io: CatalogueIo, read: (path: string) => string): LoadedCatalogue | undefined {
  let text: string;
  try {
    text = read(file);
  } catch (error) {
    io.stderr(`${file}: cannot read: ${(error as Error).message}\n`);
    return undefined;
  }
  const check = checkCatalogueText(text);
  if (check.ok) return check;
  for (const issue of check.issues) io.stderr(`${file}: ${issue.path}: ${issue.message}\n`);
  return undefined;
}

const list = (items: readonly string[]): string => (items.length === 0 ? '-' : items.join(', '));

export function formatDiff(diff: CatalogueDiff): string {
  const lines = [
    ...diff.rolesChanged.map((change) => `role ${change.roleId}: + ${list(change.added)}  - ${list(change.removed)}`),
    ...(diff.rolesAdded.length ? [`roles added: ${list(diff.rolesAdded)}`] : []),
    ...(diff.rolesRemoved.length ? [`roles removed (a finding for operators, nobody loses access by it): ${list(diff.rolesRemoved)}`] : []),
    ...(diff.entitlementsAdded.length ? [`entitlements added: ${list(diff.entitlementsAdded)}`] : []),
    ...(diff.entitlementsRemoved.length ? [`entitlements removed: ${list(diff.entitlementsRemoved)}`] : []),
    ...(diff.entitlementsChanged.length ? [`entitlements redefined: ${list(diff.entitlementsChanged)}`] : []),
    ...(diff.birthright.added.length + diff.birthright.removed.length
      ? [`birthright: + ${list(diff.birthright.added)}  - ${list(diff.birthright.removed)}`]
      : []),
    ...(diff.rules.added.length ? [`rules added: ${list(diff.rules.added)}`] : []),
    ...(diff.rules.removed.length ? [`rules removed: ${list(diff.rules.removed)}`] : []),
    ...(diff.rules.changed.length ? [`rules changed: ${list(diff.rules.changed)}`] : []),
    ...(diff.rules.reordered ? ['rules reordered (first match wins: people may change role)'] : []),
    ...(diff.unassigned ? [`unassigned: ${diff.unassigned.from} -> ${diff.unassigned.to}`] : []),
  ];
  const verdict = changesAccess(diff) ? 'access changes: applying it starts convergence' : 'no access changes';
  return `${[...lines, verdict].join('\n')}\n`;
}

function option(argv: string[], name: string): string | undefined {
  const at = argv.indexOf(name);
  if (at < 0) return undefined;
  const value = argv[at + 1];
  if (value === undefined || value.startsWith('--')) throw new UsageError(`${name} needs a value`);
  argv.splice(at, 2);
  return value;
}

function flag(argv: string[], name: string): boolean {
  const at = argv.indexOf(name);
  if (at >= 0) argv.splice(at, 1);
  return at >= 0;
}

function run(command: string | undefined, argv: string[], io: CatalogueIo, deps: CatalogueCliDeps): number {
  const read = deps.readFile ?? ((path: string) => readFileSync(resolve(deps.cwd, path), 'utf8'));
  switch (command) {
    case 'validate': {
      if (argv.length === 0) throw new UsageError('validate needs at least one file');
      let failed = 0;
      for (const file of argv) {
        const loaded = load(file, io, read);
        if (loaded) io.stdout(`${file}: valid, version ${loaded.version}, ${loaded.catalogue.roles.length} roles, ${loaded.catalogue.assignments.length} rules\n`);
        else failed += 1;
      }
      return failed === 0 ? 0 : 1;
    }
    case 'diff': {
      const json = flag(argv, '--json');
      if (argv.length !== 2) throw new UsageError('diff needs <old> <new>');
      const [before, after] = [load(argv[0] ?? '', io, read), load(argv[1] ?? '', io, read)];
      if (!before || !after) return 1;
      const diff = diffCatalogues(before.catalogue, after.catalogue);
      io.stdout(json ? `${JSON.stringify({ from: before.version, to: after.version, ...diff }, null, 2)}\n` : `${before.version} -> ${after.version}\n${formatDiff(diff)}`);
      return 0;
    }
    case 'assign': {
      const attributesText = option(argv, '--attributes') ?? '{}';
      const role = option(argv, '--role');
      if (argv.length !== 1) throw new UsageError('assign needs one catalogue file');
      const loaded = load(argv[0] ?? '', io, read);
      if (!loaded) return 1;
      let raw: unknown;
      try {
        raw = JSON.parse(attributesText);
      } catch {
        throw new UsageError('--attributes must be a JSON object');
      }
      const attributes = employeeAttributesSchema.safeParse(raw);
      if (!attributes.success) throw new UsageError(`--attributes: ${attributes.error.issues.map((issue) => issue.message).join('; ')}`);
      const assignment = assignRole(loaded.catalogue, { role, attributes: attributes.data });
      io.stdout(`${JSON.stringify({ catalogueVersion: loaded.version, ...assignment })}\n`);
      return assignment.kind === 'none' && assignment.outcome === 'refused' ? 1 : 0;
    }
    case 'schema': {
      const check = flag(argv, '--check');
      const expected = catalogueJsonSchemaText();
      if (check) {
        let current: string | undefined;
        try {
          current = read(CATALOGUE_SCHEMA_FILE);
        } catch {
          current = undefined;
        }
        if (current === expected) return 0;
        io.stderr(`${CATALOGUE_SCHEMA_FILE} is stale: run npm run gatehouse -- catalogue schema\n`);
        return 1;
      }
      (deps.writeFile ?? ((path, text) => writeFileSync(resolve(deps.cwd, path), text)))(CATALOGUE_SCHEMA_FILE, expected);
      io.stdout(`wrote ${CATALOGUE_SCHEMA_FILE}\n`);
      return 0;
    }
    default:
      throw new UsageError(command === undefined ? 'missing command' : `unknown command '${command}'`);
  }
}

export function runCatalogueCli(args: readonly string[], io: CatalogueIo, deps: CatalogueCliDeps): number {
  // --help anywhere, as every gatehouse command (tools/cli/errors.ts runCommand): never read as a file name.
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(CATALOGUE_USAGE);
    return 0;
  }
  const [command, ...rest] = args;
  try {
    return run(command, [...rest], io, deps);
  } catch (error) {
    if (!(error instanceof UsageError) && !(error instanceof ValidationError)) throw error;
    // A usage error is one line with the pointer to --help, like every other command.
    io.stderr(error instanceof UsageError ? `gatehouse catalogue: ${error.message} (npm run gatehouse -- catalogue --help)\n` : `${error.message}\n`);
    return error instanceof UsageError ? 2 : 1;
  }
}

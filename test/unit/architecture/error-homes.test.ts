import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APPROVAL_DENIED_ERROR } from '#lib/domain/approvals/errors';

/**
 * One home for each error: every `class <Name>Error` in functions/lib is declared in one file,
 * the shared kernel (`domain/shared/errors.ts`) holds only the bases and the errors every layer
 * raises, and every error name the ASL matches that is not AWS's own (`States.*`, `Lambda.*`,
 * `Sandbox.*`) is one of those classes, so a Retry or Catch cannot name an error nothing throws.
 */
const root = path.resolve(import.meta.dirname, '../../..');
const lib = path.join(root, 'functions/lib');

function files(dir: string, ext: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? files(full, ext) : entry.name.endsWith(ext) ? [full] : [];
  });
}

const homes = new Map<string, string[]>();
for (const file of files(lib, '.ts')) {
  for (const [, name = ''] of readFileSync(file, 'utf8').matchAll(/^export (?:abstract )?class (\w+Error)\b/gm)) {
    homes.set(name, [...(homes.get(name) ?? []), path.relative(lib, file)]);
  }
}

const aslNames = new Set(
  files(path.join(root, 'statemachines'), '.asl.json').flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/"ErrorEquals": \[([^\]]*)\]/g)].flatMap(([, list = '']) => [...list.matchAll(/"([^"]+)"/g)].map(([, name = '']) => name)),
  ),
);

describe('error homes', () => {
  it('reads the real tree', () => {
    expect(homes.size).toBeGreaterThan(40);
    expect(aslNames.has('TransientError')).toBe(true);
  });

  it('declares each error class in one file', () => {
    expect([...homes].filter(([, where]) => where.length > 1)).toEqual([]);
  });

  it('keeps the shared kernel to the bases and the cross-cutting errors', () => {
    const shared = [...homes].filter(([, [where]]) => where === 'domain/shared/errors.ts').map(([name]) => name);
    expect(shared.sort()).toEqual(['ConfigError', 'ConflictError', 'DomainError', 'ForbiddenError', 'NotFoundError', 'PayloadTooLargeError', 'RetryLaterError', 'TransientError', 'UnauthorizedError', 'ValidationError']);
    // Provisioning's own errors (EC2 polls, Identity Store groups, compensation) live in domain/provision/errors.ts.
    expect(homes.get('WorkstationPendingError')).toEqual(['domain/provision/errors.ts']);
  });

  it('matches in the ASL only names AWS raises or a class of functions/lib declares', () => {
    const ours = [...aslNames].filter((name) => !/^(States|Lambda|Sandbox)\./.test(name));
    // A denial is no thrown class: the approval page answers SendTaskFailure under this name.
    expect(ours.filter((name) => !homes.has(name) && name !== APPROVAL_DENIED_ERROR)).toEqual([]);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The domain layer stays pure because lint refuses the imports that would break it
 * (eslint.config.js, docs/architecture.md). This lints probe files placed in domain/ and
 * expects the rule to fire, so a config change that silently drops the rule fails here.
 */
const root = path.resolve(import.meta.dirname, '../../..');
const probeDir = mkdtempSync(path.join(root, 'functions/lib/domain/lint-probe-'));
// Only the import rule runs, without type information: building the project's type-checked program
// for two probe files took 13 s on a quiet machine and over a minute under load, for a rule that needs no types.
const eslint = new ESLint({
  cwd: root,
  overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
  ruleFilter: ({ ruleId }) => ruleId === '@typescript-eslint/no-restricted-imports',
});

async function restrictedMessages(name: string, source: string): Promise<string[]> {
  const file = path.join(probeDir, name);
  writeFileSync(file, source);
  const [result] = await eslint.lintFiles([file]);
  return (result?.messages ?? []).filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports').map((m) => m.message);
}

afterAll(() => rmSync(probeDir, { recursive: true, force: true }));

describe('domain/ import rules', () => {
  it('refuses an @aws-sdk import in domain/, even of a type only', async () => {
    const messages = await restrictedMessages('sdk.ts', "import type { SFNClient } from '@aws-sdk/client-sfn';\nexport type Probe = SFNClient;\n");
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('domain/ is pure');
  });

  it('refuses a value import from an adapter, and allows the type of a port', async () => {
    const value = await restrictedMessages('value.ts', "import { callAws } from '#lib/adapters/aws/call-aws';\nexport const probe = callAws;\n");
    const typeOnly = await restrictedMessages('type.ts', "import type { AuditStore } from '#lib/adapters/dynamodb/audit';\nexport type Probe = AuditStore;\n");
    expect(value).toHaveLength(1);
    expect(value[0]).toContain('no adapter, runtime or HTTP code');
    expect(typeOnly).toEqual([]);
  });
});

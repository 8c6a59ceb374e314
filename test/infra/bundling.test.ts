import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { expect, it } from 'vitest';
import { MINIFY } from '../../infra/constructs/functions.ts';

const ROOT = resolve(import.meta.dirname, '../..');

it('keeps error names through the stack’s minified bundling, since Retry/Catch match on them', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-bundle-'));
  const entry = join(dir, 'entry.ts');
  writeFileSync(
    entry,
    [
      `import { TransientError, ValidationError } from ${JSON.stringify(join(ROOT, 'functions/lib/domain/shared/errors.ts'))};`,
      `import { WorkstationPendingError } from ${JSON.stringify(join(ROOT, 'functions/lib/domain/provision/errors.ts'))};`,
      `export const names = [new TransientError('t').name, new ValidationError('v').name, new WorkstationPendingError('w').name];`,
    ].join('\n'),
  );
  const outfile = join(dir, 'out.mjs');
  await build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'esm', logLevel: 'error', ...MINIFY });
  const bundled = (await import(pathToFileURL(outfile).href)) as { names: string[] };
  expect(bundled.names).toEqual(['TransientError', 'ValidationError', 'WorkstationPendingError']);
});

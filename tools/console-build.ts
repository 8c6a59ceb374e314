import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The console's sources and its build (web/). */
export const WEB_DIR = resolve(import.meta.dirname, '..', 'web');
export const WEB_DIST = join(WEB_DIR, 'dist');

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** Whether web/dist is missing or older than any source of the console (web/ and the domain code it shares). */
export function consoleBuildStale(): boolean {
  const index = join(WEB_DIST, 'index.html');
  if (!existsSync(index)) return true;
  const shared = [join(WEB_DIR, '..', 'functions', 'lib', 'domain', 'shared', 'duration-words.ts')];
  const sources = Math.max(newest(join(WEB_DIR, 'src')), ...['index.html', 'vite.config.ts', 'package.json'].map((f) => statSync(join(WEB_DIR, f)).mtimeMs), ...shared.map((f) => statSync(f).mtimeMs));
  return statSync(index).mtimeMs < sources;
}

/**
 * Builds the console with Vite when its build is stale (about a second); answers whether it built.
 * `npm start`, `npm run demo` and the test setup call this, so a fresh clone needs no extra step.
 */
export async function ensureConsoleBuilt(): Promise<boolean> {
  if (!consoleBuildStale()) return false;
  const { build } = await import('vite');
  // Vite picks React's development build when NODE_ENV says so (vitest sets `test`): force production.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(WEB_DIR, 'vite.config.ts'), root: WEB_DIR, mode: 'production', logLevel: 'warn' });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  return true;
}

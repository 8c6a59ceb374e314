import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { DEFAULT_BASE_PORT, LOCAL_AWS_ENV, portFor, SERVICES, type ServiceId } from '../../local/endpoints.ts';
import { localFunctionEnv } from '../../local/function-env.ts';
import { MINIFY } from '../../infra/constructs/functions.ts';
import { median } from '../lib/stats.ts';
import type { Row, Suite } from '../lib/suite.ts';

/**
 * Each function as the stack ships it, and what loading it costs a fresh process.
 *
 * Bundle: esbuild with the options infra/constructs/functions.ts gives NodejsFunction:
 * bundle, platform node, target node22, format esm, minify, mainFields module,main, the
 * createRequire banner, linked source map without sources, the repo tsconfig, and
 * `bundleAwsSDK: true`, so @aws-sdk/* is bundled although the nodejs runtimes carry it;
 * nothing is external but Node's built-ins. The size is the .mjs Lambda loads (the .map
 * beside it is not counted). esbuild is the copy in node_modules, the one CDK's local
 * bundling runs.
 *
 * Cold load: a fresh `node` (this machine's, not Lambda's nodejs24.x) importing the bundle,
 * timed from spawn until the child reports the import resolved (stdout pipe); it sees only
 * the environment the local cloud gives functions (its default ports; no cloud needs to
 * run: no handler calls AWS at import). The baseline row is the same for an empty module.
 */

const SUITE = 'functions';
const ROOT = resolve(import.meta.dirname, '..', '..');
/** Copied from infra/constructs/functions.ts (not exported there). */
const REQUIRE_BANNER = "import { createRequire as __gatehouseCreateRequire } from 'node:module'; const require = __gatehouseCreateRequire(import.meta.url);";
const LOADED = 'loaded';

function functionFolders(): string[] {
  const dir = join(ROOT, 'functions');
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'handler.ts')))
    .map((entry) => entry.name)
    .sort();
}

async function bundle(name: string, outDir: string): Promise<string> {
  const outfile = join(outDir, name, 'index.mjs');
  await build({
    entryPoints: [join(ROOT, 'functions', name, 'handler.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    ...MINIFY,
    mainFields: ['module', 'main'],
    banner: { js: REQUIRE_BANNER },
    sourcemap: true,
    sourcesContent: false,
    tsconfig: join(ROOT, 'tsconfig.json'),
    logLevel: 'error',
  });
  return outfile;
}

/** The variables the local cloud (at its default ports) sets for every function; nothing of this process's environment. */
function localCloudEnv(): Record<string, string> {
  const url = (id: ServiceId) => `http://127.0.0.1:${portFor(id, DEFAULT_BASE_PORT)}`;
  const env: Record<string, string> = { ...LOCAL_AWS_ENV, ...localFunctionEnv({ tablePrefix: 'gatehouse-', frontDoorUrl: url('frontdoor') }) };
  for (const [id, { envVar }] of Object.entries(SERVICES)) if (envVar) env[envVar] = url(id as ServiceId);
  return env;
}

/** Milliseconds from spawning `node` until it has imported `moduleUrl`. */
function coldImport(moduleUrl: string, env: Record<string, string>): Promise<number> {
  const script = `await import(${JSON.stringify(moduleUrl)}); process.stdout.write(${JSON.stringify(LOADED)});`;
  return new Promise((done, fail) => {
    const start = performance.now();
    const child = spawn(process.execPath, ['--input-type=module', '--eval', script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let elapsed: number | undefined;
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (elapsed === undefined && out.includes(LOADED)) elapsed = performance.now() - start;
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.once('error', fail);
    child.once('close', (code) => {
      if (code === 0 && elapsed !== undefined) done(elapsed);
      else fail(new Error(`importing ${moduleUrl} failed (exit ${code}): ${err.slice(-2000)}`));
    });
  });
}

export const functionsSuite: Suite = {
  name: SUITE,
  async run(ctx) {
    const outDir = await ctx.tempDir('functions');
    const env = localCloudEnv();
    const runs = ctx.size(5, 3);
    const targets = [{ name: 'baseline', url: 'data:text/javascript,' }];
    const sizes = new Map<string, number>();
    for (const name of functionFolders()) {
      const file = await bundle(name, outDir);
      sizes.set(name, statSync(file).size);
      targets.push({ name, url: pathToFileURL(file).href });
    }
    // One unmeasured spawn first (the node binary into the OS cache), then round-robin rounds,
    // so a burst of load on the machine lands on every function alike, not on one.
    await coldImport(targets[0]?.url ?? '', env);
    const samples = new Map<string, number[]>(targets.map((t) => [t.name, []]));
    for (let round = 0; round < runs; round++) {
      for (const target of targets) samples.get(target.name)?.push(await coldImport(target.url, env));
    }
    const coldMedian = (name: string) => median([...(samples.get(name) ?? [])].sort((a, b) => a - b));
    const rows: Row[] = [{ suite: SUITE, metric: 'baseline: node spawn + empty module import, median', value: coldMedian('baseline'), unit: 'ms', n: runs }];
    for (const [name, size] of sizes) {
      rows.push({ suite: SUITE, metric: `${name}: bundle .mjs (minified, esm, node22, @aws-sdk bundled as in CDK)`, value: size, unit: 'bytes', n: 1 });
      rows.push({ suite: SUITE, metric: `${name}: cold load (spawn -> import resolved), median`, value: coldMedian(name), unit: 'ms', n: runs });
    }
    return rows;
  },
};

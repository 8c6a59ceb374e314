/**
 * Formats statemachines/*.asl.json in place (tools/asl/format.ts), or with `--check` lists
 * the files that are not formatted and exits 1. `npm run asl:format [-- --check]`.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { reformatAsl } from './asl/format.ts';

const dir = join(import.meta.dirname, '..', 'statemachines');
const check = process.argv.includes('--check');
const unformatted: string[] = [];

for (const file of readdirSync(dir).filter((name) => name.endsWith('.asl.json')).sort()) {
  const path = join(dir, file);
  const text = readFileSync(path, 'utf8');
  const formatted = reformatAsl(text, file);
  if (formatted === text) continue;
  unformatted.push(file);
  if (!check) writeFileSync(path, formatted);
}

if (check && unformatted.length > 0) {
  console.error(`not formatted (run npm run asl:format): ${unformatted.join(', ')}`);
  process.exit(1);
}
console.log(unformatted.length === 0 ? 'asl: every file formatted' : `asl: formatted ${unformatted.join(', ')}`);

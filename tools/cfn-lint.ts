/**
 * `npm run cfn-lint`: cfn-lint (https://github.com/aws-cloudformation/cfn-lint) on the template
 * `npm run synth` wrote to cdk.out/, failing on any finding that tools/cfn-lint/known.ts does not
 * list as a known false positive. cfn-lint is a Python tool: `pip install cfn-lint`. Without it
 * this prints how to install it and exits 0, so CI runs it where it is installed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KNOWN_FALSE_POSITIVES, unexpectedFindings, type Finding } from './cfn-lint/known.ts';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'cdk.out');

if (spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' }).error) {
  console.log('cfn-lint: not installed, skipped (pip install cfn-lint)');
  process.exit(0);
}
const templates = existsSync(OUT) ? readdirSync(OUT).filter((f) => f.endsWith('.template.json')).map((f) => join(OUT, f)) : [];
if (templates.length === 0) {
  console.error('cfn-lint: no cdk.out/*.template.json; run npm run synth first');
  process.exit(1);
}

const succeedStates = new Set<string>();
for (const file of readdirSync(join(ROOT, 'statemachines')).filter((f) => f.endsWith('.asl.json'))) {
  const walk = (states: Record<string, { Type?: string; ItemProcessor?: { States: object }; Branches?: { States: object }[] }>): void => {
    for (const [name, state] of Object.entries(states)) {
      if (state.Type === 'Succeed') succeedStates.add(name);
      if (state.ItemProcessor) walk(state.ItemProcessor.States as never);
      for (const branch of state.Branches ?? []) walk(branch.States as never);
    }
  };
  walk((JSON.parse(readFileSync(join(ROOT, 'statemachines', file), 'utf8')) as { States: never }).States);
}

const run = spawnSync('cfn-lint', ['--format', 'json', ...templates], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
let findings: Finding[];
try {
  findings = JSON.parse(run.stdout || '[]') as Finding[];
} catch {
  console.error(`cfn-lint: could not read its output (exit ${run.status}): ${run.stderr}`);
  process.exit(1);
}
const unexpected = unexpectedFindings(findings, succeedStates);
const known = findings.length - unexpected.length;
for (const finding of unexpected) console.error(`${finding.Rule.Id} ${finding.Level}: ${finding.Message} at ${finding.Location.Path.join('/')}`);
console.log(`cfn-lint: ${findings.length} findings, ${known} known false positives (${KNOWN_FALSE_POSITIVES.map((k) => k.rule).join(', ')}: tools/cfn-lint/known.ts), ${unexpected.length} unexpected`);
process.exit(unexpected.length > 0 ? 1 : 0);

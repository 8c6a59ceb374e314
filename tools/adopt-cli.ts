import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { splitPlan, type AdoptionCounts } from '../functions/lib/domain/adoption/batches.ts';
import { planAdoption, type AdoptionPlan } from '../functions/lib/domain/adoption/plan.ts';
import { checkCatalogueText, type LoadedCatalogue } from '../functions/lib/domain/catalogue/load.ts';
import type { HrisVendor } from '../functions/lib/adapters/hris/http.ts';
import { CliError, UsageError, runCommand, type CliIo } from './cli/errors.ts';
import { connectAdoption, type AdoptionWorld, type AdoptionWorldOptions } from './adopt-live.ts';

/**
 * `npm run gatehouse -- adopt`: day one in an existing company (issue #14). Reads the HRIS roster,
 * Identity Center and Gatehouse-tagged workstations, prints the adoption plan (domain/adoption/plan.ts)
 * and, with --apply and the plan's fingerprint, applies exactly that plan (domain/adoption/apply.ts).
 */
export const ADOPT_USAGE = `usage:
  gatehouse adopt --hris <hibob|bamboohr|personio> [--catalogue <file>] [--identity-store-id <id>]
                  [--json] [--names <n>] [--local]
      Dry run (the default): reads the whole roster (inactive people included), every Identity Store
      user, group and membership, and the tagged EC2 workstations; matches people to users by the
      employee-number link, then by e-mail (ignoring case); prints what adoption would do and the
      plan's fingerprint. Changes nothing.
  gatehouse adopt --hris <vendor> --apply --confirm <fingerprint> [--revoke-extras] [--as <operator id>] [...]
      Applies the reviewed plan as the adoption Step Functions workflow (stored in the adoptions table,
      one execution per plan, named adopt-<fingerprint>): adopts each matched user (recorded as the
      person's, never recreated), records as grants the access they hold that their role grants, hires
      people with no user through the joiner, audits each as adopted; shows a progress bar and the
      execution's counts. Refused when the plan is no longer the one with that fingerprint.
      Extras (memberships the role does not grant) are only reported, unless --revoke-extras.
      Doing it twice starts nothing twice and changes nothing the first did.
  --catalogue defaults to $GATEHOUSE_CATALOGUE, then the shipped config/role-catalogue.json (use the deployed one).
  --local: the running local cloud (.gatehouse/endpoints.env, or $GATEHOUSE_DATA_DIR).
exit codes: 0 planned / applied, 1 refused (invalid catalogue, stale fingerprint) or the workflow failed, 2 usage, 3 a service failed,
            4 still running when the CLI stopped following it
`;

const VENDORS: readonly HrisVendor[] = ['hibob', 'bamboohr', 'personio'];
const SHIPPED_CATALOGUE = join(import.meta.dirname, '..', 'config', 'role-catalogue.json');

export interface AdoptCliDeps {
  env: Record<string, string | undefined>;
  cwd: string;
  /** People per stored batch (default ADOPTION_BATCH_SIZE; tests use small ones to have many batches). */
  batchSize?: number;
  /** Between two looks at a running adoption (default 2 s). */
  pollMs?: number;
  /** How long the CLI follows the execution before it leaves it running (default 2 h). */
  followMs?: number;
  /** How the world is reached (tests may replace it). */
  connect?: (options: AdoptionWorldOptions) => AdoptionWorld;
}

function loadCatalogue(file: string, cwd: string): LoadedCatalogue {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, file), 'utf8');
  } catch (error) {
    throw new CliError(`--catalogue ${file}: cannot read: ${(error as Error).message}`, 2);
  }
  const check = checkCatalogueText(text);
  if (!check.ok) throw new CliError(`--catalogue ${file} is invalid: ${check.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`, 1);
  return check;
}

function listed<T>(label: string, items: readonly T[], show: (item: T) => string, names: number, io: CliIo): void {
  if (items.length === 0 || names === 0) return;
  io.stdout(`${label}:\n`);
  for (const item of items.slice(0, names)) io.stdout(`  ${show(item)}\n`);
  if (items.length > names) io.stdout(`  ... (${items.length - names} more; --names or --json for all)\n`);
}

function printPlan(plan: AdoptionPlan, vendor: HrisVendor, names: number, io: CliIo): void {
  const c = plan.counts;
  const byLink = plan.adopt.filter((a) => a.matchedBy === 'employee-number').length;
  const holders = plan.adopt.filter((a) => a.extras.length > 0).length;
  const row = (n: number, what: string) => io.stdout(`  ${String(n).padStart(6)}  ${what}\n`);
  io.stdout(`adoption plan: ${vendor} roster under catalogue ${plan.catalogueVersion}\n`);
  row(c.adopt, `existing users to adopt (${byLink} by employee-number link, ${c.adopt - byLink} by e-mail)`);
  row(c.grants, 'grants to record: access they hold that their role grants');
  row(c.create, 'people with no Identity Store user: hired through the joiner');
  row(c.missing, "entitlements their role grants that they lack (reported; 'catalogue converge' grants them, with approvals)");
  row(c.extras, `memberships their role does not grant, held by ${holders} people (reported; --revoke-extras removes them)`);
  row(c.undecided, 'people whose role no rule decides (not adopted, not hired)');
  row(c.terminated, 'terminated in the HRIS but still in Identity Center (not adopted: gatehouse leave, or by hand)');
  row(c.ambiguous, 'ambiguous matches (nothing is done for them)');
  row(c.invalid, 'roster rows that cannot be read');
  row(c.orphans, 'Identity Store users matching nobody (reported, never removed by adoption)');
  row(c.managed, 'people Gatehouse manages already (left alone)');
  listed('ambiguous', plan.ambiguous, (a) => `${a.employeeIds.join(', ')}: ${a.why}${a.userIds.length ? ` (users ${a.userIds.join(', ')})` : ''}`, names, io);
  listed('undecided', plan.undecided, (u) => `${u.employeeId}: ${u.why}`, names, io);
  listed('terminated', plan.terminated, (t) => `${t.employeeId}: user ${t.userId}`, names, io);
  listed('invalid', plan.invalid, (i) => `${i.employeeId}: ${i.problem}`, names, io);
  listed('extras', plan.adopt.filter((a) => a.extras.length > 0), (a) => `${a.employeeId} (${a.employee.role}): ${a.extras.map((e) => e.groupName ?? e.groupId).join(', ')}`, names, io);
  listed('orphans', plan.orphans, (o) => `${o.userName} (${o.userId})`, names, io);
  io.stdout(`plan fingerprint ${plan.fingerprint}\n`);
}

/** A bar on stderr, one line per tenth of the way (logs stay readable; a terminal sees it move). */
function progressBar(io: CliIo): (done: number, total: number) => void {
  let shown = -1;
  return (done, total) => {
    const tenth = total === 0 ? 10 : Math.floor((done * 10) / total);
    if (tenth === shown) return;
    shown = tenth;
    io.stderr(`  [${'#'.repeat(tenth * 2).padEnd(20, '.')}] ${done}/${total} batches\n`);
  };
}

interface AdoptionOutput {
  counts: AdoptionCounts;
  reported: Record<string, number>;
}

function printApplied({ counts, reported }: AdoptionOutput, io: CliIo): void {
  io.stdout(
    `applied: ${counts.adopted} adopted, ${counts.grantsRecorded} grants recorded, ${counts.hiresSent} hires sent to the joiner, ${counts.extrasRevoked} extra memberships removed\n` +
      `reported, not acted on: ${reported.extras ?? 0} extra memberships, ${reported.orphans ?? 0} users matching nobody, ${reported.ambiguous ?? 0} ambiguous, ${reported.undecided ?? 0} undecided, ${reported.terminated ?? 0} terminated\n`,
  );
}

const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

export async function runAdoptCli(argv: string[], io: CliIo, deps: AdoptCliDeps): Promise<number> {
  return runCommand('adopt', ADOPT_USAGE, argv, io, async () => {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        hris: { type: 'string' },
        catalogue: { type: 'string' },
        'identity-store-id': { type: 'string' },
        json: { type: 'boolean', default: false },
        names: { type: 'string', default: '10' },
        local: { type: 'boolean', default: false },
        apply: { type: 'boolean', default: false },
        confirm: { type: 'string' },
        'revoke-extras': { type: 'boolean', default: false },
        as: { type: 'string' },
      },
    });
    if (positionals.length > 0) throw new UsageError(`adopt takes no arguments (got ${positionals.join(' ')})`);
    const vendor = values.hris as HrisVendor | undefined;
    if (!vendor) throw new UsageError(`adopt needs --hris <${VENDORS.join('|')}>`);
    if (!VENDORS.includes(vendor)) throw new UsageError(`--hris ${vendor} is not one of ${VENDORS.join(', ')}`);
    const names = Number(values.names);
    if (!Number.isInteger(names) || names < 0) throw new UsageError(`--names ${values.names} is not a whole number`);
    if (values.confirm !== undefined && !/^[0-9a-f]{16}$/.test(values.confirm)) throw new UsageError('--confirm takes the 16 hex digits of the plan fingerprint');
    if (values.apply && values.confirm === undefined) throw new UsageError('--apply needs --confirm <fingerprint> of the plan you reviewed (run without --apply first)');
    if (!values.apply && (values.confirm !== undefined || values['revoke-extras'])) throw new UsageError(`${values.confirm !== undefined ? '--confirm' : '--revoke-extras'} only goes with --apply`);
    const operator = values.as ?? userInfo().username;
    if (!/^[\x21-\x7e]{1,254}$/.test(operator)) throw new UsageError('--as must be 1-254 printable characters, no spaces');
    const catalogue = loadCatalogue(values.catalogue ?? deps.env.GATEHOUSE_CATALOGUE ?? SHIPPED_CATALOGUE, deps.cwd);

    const world = (deps.connect ?? connectAdoption)({ local: values.local, env: deps.env, cwd: deps.cwd, identityStoreId: values['identity-store-id'] });
    try {
      const inventory = await world.read(vendor);
      const plan = planAdoption(inventory, catalogue);
      if (values.json) io.stdout(`${JSON.stringify(plan, null, 2)}\n`);
      else printPlan(plan, vendor, names, io);
      if (!values.apply) {
        if (!values.json) io.stdout(`dry run: nothing changed. To apply it: npm run gatehouse -- adopt --hris ${vendor} --apply --confirm ${plan.fingerprint}\n`);
        return 0;
      }
      if (plan.fingerprint !== values.confirm) {
        io.stderr(`gatehouse adopt: refused: the plan is now ${plan.fingerprint}, not ${values.confirm} (something changed since it was reviewed): review it again\n`);
        return 1;
      }
      const { header, batches } = splitPlan(plan, { operator, revokeExtras: values['revoke-extras'], ...(deps.batchSize ? { size: deps.batchSize } : {}) });
      const workflow = world.workflow();
      await workflow.store(header, batches);
      const arn = await workflow.start(header.planId);
      io.stderr(`adoption ${arn}: ${header.people} people in ${header.batches} batches\n`);
      const bar = progressBar(io);
      const deadline = Date.now() + (deps.followMs ?? 2 * 60 * 60 * 1000);
      for (;;) {
        const run = await workflow.poll(arn);
        if (run.status === 'SUCCEEDED') {
          const output = JSON.parse(run.output ?? '{}') as AdoptionOutput;
          bar(output.counts.batchesDone, header.batches);
          if (values.json) io.stdout(`${JSON.stringify({ applied: output })}\n`);
          else printApplied(output, io);
          return 0;
        }
        if (run.status !== 'RUNNING') {
          io.stderr(`gatehouse adopt: the adoption workflow ended ${run.status}: ${run.error ?? ''}\nrun gatehouse adopt again: the new plan lists only who is left\n`);
          return 1;
        }
        if (run.progress) bar(run.progress.cursor, header.batches);
        if (Date.now() > deadline) {
          io.stderr(`gatehouse adopt: still running; follow it with aws stepfunctions describe-execution --execution-arn ${arn}\n`);
          return 4;
        }
        await pause(deps.pollMs ?? 2_000);
      }
    } finally {
      world.close();
    }
  });
}

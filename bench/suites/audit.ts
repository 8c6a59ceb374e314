import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { computeHash } from '../../functions/lib/domain/audit/chain.ts';
import { ZERO_HASH } from '../../functions/lib/domain/audit/entry.ts';
import { toItem } from '../../functions/lib/domain/audit-export/dynamodb-json.ts';
import { writeExport } from '../../functions/lib/adapters/dynamodb/audit-local-export.ts';
import type { Row, Suite } from '../lib/suite.ts';

/**
 * `audit`: verify and one query over a synthetic audit-table export of 1,000,000 valid chained
 * entries (100,000 with --quick), 10 per subject, in DynamoDB's export layout (8 data files) in a
 * temp folder. verify and the query run as the CLI (`--stats`) in a fresh process each, so the
 * peak RSS reported is theirs alone: it stays flat as the export grows, because the reader streams.
 */
const SUITE = 'audit';
const PER_SUBJECT = 10;
const RARE = 'group:BillingAdmin';
const run = promisify(execFile);

/** One subject's chain: a joiner with approval, four grants (a rare one for every 100th subject), one revocation. */
function* subjectChain(index: number, start: number): Generator<Record<string, unknown>> {
  const subject = `E${String(index).padStart(7, '0')}`;
  const requestId = `generic-${subject}-hire`;
  const base = { subject, requestId, executionId: requestId };
  const grant = (entitlementId: string) => ({ kind: 'grant.applied', entitlementId, actor: 'system:record-grants', reason: `${entitlementId} granted by role`, detail: { basis: 'role', role: 'engineer' } });
  const facts: Record<string, unknown>[] = [
    { kind: 'request.received', actor: 'hris:generic', reason: 'hire received', detail: { requestType: 'joiner', deliveryId: `${subject}-hire`, role: 'engineer' } },
    { kind: 'policy.decided', actor: 'system:policy', reason: 'approval needed', detail: { outcome: 'approval-required', policyRule: 'high-risk', entitlementIds: ['group:AllStaff'] } },
    { kind: 'approval.requested', actor: 'system:approval-request', reason: 'asked by e-mail', detail: { approvalId: `apv-${index}`, approverId: 'dana.lead@example.com', expiresAt: '2025-03-10T08:00:00.000Z' } },
    { kind: 'approval.approved', actor: 'approver:dana.lead@example.com', reason: 'approved by link', detail: { approvalId: `apv-${index}` } },
    grant('group:AllStaff'),
    grant(`group:Team-${index % 50}`),
    grant('workstation:dev-arm'),
    grant(index % 100 === 0 ? RARE : 'group:Wiki'),
    { kind: 'grant.revoked', entitlementId: 'group:Wiki', actor: 'system:mover', reason: 'moved', detail: { basis: 'role', trigger: 'mover' } },
    { kind: 'reconciliation.finding', actor: 'system:reconcile', reason: 'nightly check', detail: { finding: 'resource-drift', action: 'flagged' } },
  ];
  let prevHash = ZERO_HASH;
  for (let seq = 1; seq <= PER_SUBJECT; seq += 1) {
    const at = new Date(start + index * 60_000 + seq * 1000).toISOString();
    const body = { ...base, ...facts[seq - 1], v: 1, seq, at, day: at.slice(0, 10), prevHash };
    const hash = computeHash(body);
    prevHash = hash;
    yield toItem({ ...body, hash });
  }
}

function* synthetic(entries: number): Generator<Record<string, unknown>> {
  const start = Date.parse('2025-01-01T00:00:00.000Z');
  for (let index = 0; index < entries / PER_SUBJECT; index += 1) yield* subjectChain(index, start);
}

const ROOT = resolve(import.meta.dirname, '..', '..');

interface CliRun {
  seconds: number;
  peakMiB: number;
  stdout: string;
}

/** The CLI in a fresh process, so its peak RSS is its own: `--stats` prints time and maxRSS on stderr. */
async function cli(args: string[]): Promise<CliRun> {
  const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', join(ROOT, 'tools', 'gatehouse.ts'), 'audit', ...args, '--stats'], {
    cwd: ROOT,
    maxBuffer: 64 * 2 ** 20,
  }).catch((error: unknown) => {
    throw new Error(`gatehouse ${args.join(' ')} failed: ${String((error as { stderr?: string }).stderr ?? error)}`, { cause: error });
  });
  const stats = /stats: \d+ entries in ([\d.]+) s, peak RSS ([\d.]+) MiB/.exec(stderr);
  if (!stats) throw new Error(`no stats line from gatehouse ${args.join(' ')}: ${stderr}`);
  return { seconds: Number(stats[1]), peakMiB: Number(stats[2]), stdout };
}

export const auditSuite: Suite = {
  name: SUITE,
  async run(ctx) {
    const entries = ctx.size(1_000_000, 100_000);
    const dir = await ctx.tempDir('audit');
    const started = performance.now();
    await writeExport(synthetic(entries), { outDir: dir, tableArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/bench', partitionKey: 'subject', partitions: 8 });
    const writeSeconds = (performance.now() - started) / 1000;
    const verified = await cli(['verify', '--export', dir]);
    if (!verified.stdout.startsWith(`OK: ${entries} entries`)) throw new Error(`synthetic export did not verify: ${verified.stdout.slice(0, 300)}`);
    const queried = await cli(['query', 'holders', RARE, '--at', '2030-01-01T00:00:00.000Z', '--format', 'json', '--export', dir]);
    const holders = (JSON.parse(queried.stdout) as unknown[]).length;
    if (holders !== entries / PER_SUBJECT / 100) throw new Error(`holders query found ${holders} rows`);
    const rows: Row[] = [
      { suite: SUITE, metric: `write synthetic export (${entries} entries)`, value: writeSeconds, unit: 's', n: 1 },
      { suite: SUITE, metric: 'verify every chain', value: verified.seconds, unit: 's', n: 1 },
      { suite: SUITE, metric: 'verify throughput', value: entries / verified.seconds, unit: 'entries/s', n: 1 },
      { suite: SUITE, metric: 'verify peak RSS (whole process)', value: verified.peakMiB, unit: 'MiB', n: 1 },
      { suite: SUITE, metric: `query holders of ${RARE} (${holders} rows)`, value: queried.seconds, unit: 's', n: 1 },
      { suite: SUITE, metric: 'query peak RSS (whole process)', value: queried.peakMiB, unit: 'MiB', n: 1 },
    ];
    return rows;
  },
};

import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { exportTableToS3 } from './aws-export.ts';
import { ExportFormatError } from './errors.ts';
import { formatResult, type OutputFormat } from './format.ts';
import { exportTableLocally } from './local-export.ts';
import { approverDecisions, grantsAfterLeaving, holdersAt, openGrants, personHistory, runQuery, type Query } from './queries.ts';
import { localExportSource } from './reader.ts';
import { verifyExport, type VerifyReport } from './verify.ts';

/**
 * `npm run audit -- <command>` (tools/gatehouse.ts):
 *
 *   export --out <folder> [--table <name>]            local cloud: Scan -> DynamoDB's export layout
 *   export --bucket <b> [--prefix <p>] [--table <n>]  AWS: ExportTableToPointInTime, waits for it
 *   verify --export <folder>                          every subject's hash chain; exit 1 on a break
 *   query person <employeeId> --export <folder>
 *   query holders <entitlementId> --at <iso time> --export <folder>
 *   query approver <approverId> --export <folder>
 *   query open-grants --export <folder>
 *   query leftover-grants --export <folder>           open grants of people who left
 *   (queries take --format table|csv|json; verify and queries take --stats: time and peak RSS on stderr)
 *
 * Exit codes: 0 done / chains intact, 1 verify found a problem, 2 bad usage or unreadable export.
 */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export const USAGE = `usage: gatehouse audit
  export --out <folder> [--table <name>]  |  export --bucket <bucket> [--prefix <p>] [--table <name>]
  verify --export <folder>
  query person <employeeId> | holders <entitlementId> --at <iso> | approver <id> | open-grants | leftover-grants
        --export <folder> [--format table|csv|json]
`;

class UsageError extends Error {}

const FORMATS: readonly OutputFormat[] = ['table', 'csv', 'json'];

function progress(io: CliIo) {
  return (items: number) => io.stderr(`  ${items.toLocaleString('en-US')} entries read\n`);
}

function buildQuery(name: string | undefined, argument: string | undefined, at: string | undefined): Query {
  const need = (what: string): string => {
    if (!argument) throw new UsageError(`query ${name} needs ${what}`);
    return argument;
  };
  switch (name) {
    case 'person':
      return personHistory(need('an employee id'));
    case 'holders':
      if (!at) throw new UsageError('query holders needs --at <ISO date-time>');
      return holdersAt(need('an entitlement id'), at);
    case 'approver':
      return approverDecisions(need('an approver id'));
    case 'open-grants':
      return openGrants();
    case 'leftover-grants':
      return grantsAfterLeaving();
    default:
      throw new UsageError(`unknown query ${name ?? '(none)'}`);
  }
}

function printVerify(report: VerifyReport, io: CliIo): void {
  for (const found of report.breaks) {
    io.stdout(`BROKEN ${found.subject} seq ${found.seq}: ${found.problem} — ${found.detail}${found.where ? ` (${found.where})` : ''}\n`);
  }
  for (const problem of report.integrity) io.stdout(`FILE ${problem.file}: ${problem.problem}\n`);
  io.stdout(
    report.ok
      ? `OK: ${report.entries} entries, ${report.subjects} subjects, every chain intact\n`
      : `FAILED: ${report.breaks.length} broken chain(s), ${report.integrity.length} file problem(s) in ${report.entries} entries of ${report.subjects} subjects\n`,
  );
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      bucket: { type: 'string' },
      prefix: { type: 'string' },
      table: { type: 'string' },
      partitions: { type: 'string' },
      'timeout-minutes': { type: 'string' },
      export: { type: 'string', short: 'e' },
      format: { type: 'string', default: 'table' },
      at: { type: 'string' },
      stats: { type: 'boolean', default: false },
    },
  });
  const [command, ...rest] = positionals;
  const table = values.table ?? process.env.AUDIT_TABLE_NAME ?? 'gatehouse-audit';
  if (command === 'export') {
    const client = new DynamoDBClient({});
    try {
      if (values.out) {
        const done = await exportTableLocally(client, { tableName: table, outDir: values.out, ...(values.partitions ? { partitions: Number(values.partitions) } : {}) });
        io.stdout(`exported ${done.itemCount} items of ${table} to ${done.exportDir}\n`);
      } else if (values.bucket) {
        const done = await exportTableToS3(client, {
          tableName: table,
          bucket: values.bucket,
          ...(values.prefix ? { prefix: values.prefix } : {}),
          ...(values['timeout-minutes'] ? { timeoutMs: Number(values['timeout-minutes']) * 60_000 } : {}),
          onPoll: (status) => io.stderr(`  export ${status}\n`),
        });
        io.stdout(`exported ${done.ItemCount ?? 0} items to s3://${done.S3Bucket ?? values.bucket}/${done.S3Prefix ? `${done.S3Prefix}/` : ''}AWSDynamoDB/ (${done.ExportArn ?? ''})\n`);
      } else throw new UsageError('export needs --out <folder> (local cloud) or --bucket <bucket> (AWS)');
    } finally {
      client.destroy();
    }
    return 0;
  }
  if (!values.export) throw new UsageError(`${command ?? 'a command'} needs --export <folder>`);
  const source = localExportSource(values.export);
  const started = performance.now();
  let items = 0;
  const onProgress = (count: number) => {
    items = count;
    progress(io)(count);
  };
  const stats = () => {
    if (values.stats) io.stderr(`stats: ${items} entries in ${((performance.now() - started) / 1000).toFixed(3)} s, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(1)} MiB\n`);
  };
  if (command === 'verify') {
    const report = await verifyExport(source, { onProgress });
    printVerify(report, io);
    stats();
    return report.ok ? 0 : 1;
  }
  if (command === 'query') {
    const format = values.format as OutputFormat;
    if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
    const result = await runQuery(source, buildQuery(rest[0], rest[1], values.at), { onProgress });
    io.stdout(formatResult(result, format));
    stats();
    return 0;
  }
  throw new UsageError(`unknown command ${command ?? '(none)'}`);
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    return await run(argv, io);
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      io.stderr(`${error.message}\n${USAGE}`);
      return 2;
    }
    if (error instanceof ExportFormatError || error instanceof RangeError) {
      io.stderr(`error: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

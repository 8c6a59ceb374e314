import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { exportTableToS3 } from '../adapters/aws/dynamodb-export.ts';
import { ExportDestinationError, ExportFormatError } from '../domain/audit-export/errors.ts';
import { formatResult, type OutputFormat } from '../domain/audit-export/format.ts';
import { exportTableLocally } from '../adapters/dynamodb/audit-local-export.ts';
import { approverDecisions, grantsAfterLeaving, holdersAt, openGrants, personHistory, runQuery, type Query } from '../domain/audit-export/queries.ts';
import { localExportSource, type ExportSource } from '../domain/audit-export/reader.ts';
import { s3ExportSource } from '../adapters/aws/s3-export-source.ts';
import { verifyExport, type VerifyReport } from '../domain/audit-export/verify.ts';

/**
 * `npm run audit -- <command>` (tools/gatehouse.ts):
 *
 *   export --out <folder> [--table <name>]            local cloud: Scan -> DynamoDB's export layout
 *   export [--bucket <b>] [--prefix <p>] [--table <n>] AWS: ExportTableToPointInTime, waits for it
 *                                                     (--bucket defaults to $GATEHOUSE_AUDIT_BUCKET)
 *   verify --export <folder> | --s3 s3://<b>/<p>[/AWSDynamoDB/<id>]   every subject's hash chain; exit 1 on a break
 *   query person <employeeId> --export <folder>
 *   query holders <entitlementId> [--at <iso time>] --export <folder>   (--at defaults to now)
 *   query approver <approverId | approver:<id>> --export <folder>   (as query person's actor column prints it)
 *   query open-grants --export <folder>
 *   query leftover-grants --export <folder>           open grants of people who left
 *   (queries take --format table|csv|json [--wide] and --export or --s3 like verify; a table is cut to
 *   120 columns unless --wide; verify and queries take
 *   --stats: time and peak RSS on stderr. Without an export id the newest export under the prefix is read.)
 *
 * Exit codes: 0 done / chains intact, 1 verify found a problem, 2 bad usage or unreadable export,
 * 3 AWS (or the local cloud) refused or cannot be reached.
 */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export const USAGE = `usage: gatehouse audit   (also: npm run audit -- ...; source .gatehouse/endpoints.env first locally)
  export --out <folder> [--table <name>]  |  export [--bucket <bucket>] [--prefix <p>] [--table <name>]
         (--bucket defaults to $GATEHOUSE_AUDIT_BUCKET, the stack output AuditExportBucketName)
  verify --export <folder> | --s3 s3://<bucket>/<prefix>[/AWSDynamoDB/<exportId>]
  query person <employeeId> | holders <entitlementId> [--at <iso>, default now] | approver <id> | open-grants | leftover-grants
        --export <folder> | --s3 s3://<bucket>/<prefix>[/AWSDynamoDB/<exportId>]  [--format table|csv|json] [--wide]
exit codes: 0 done / chains intact, 1 verify found a problem, 2 usage or unreadable export, 3 AWS refused or unreachable
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
      return holdersAt(need('an entitlement id'), at ?? new Date().toISOString());
    case 'approver':
      // query person prints the actor as `approver:<email>`: accept that as well as the bare id.
      return approverDecisions(need('an approver id').replace(/^approver:/, ''));
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
  for (const found of report.campaigns) io.stdout(`CAMPAIGN ${found.campaignId}: ${found.problem} — ${found.detail}\n`);
  io.stdout(
    report.ok
      ? `OK: ${report.entries} entries, ${report.subjects} subjects, every chain intact\n`
      : `FAILED: ${report.breaks.length} broken chain(s), ${report.integrity.length} file problem(s)${report.campaigns.length > 0 ? `, ${report.campaigns.length} campaign problem(s)` : ''} in ${report.entries} entries of ${report.subjects} subjects\n`,
  );
}

/** A local folder (--export) or an S3 prefix (--s3), exactly one. */
async function openSource(folder: string | undefined, s3: string | undefined, command: string): Promise<ExportSource> {
  if (folder !== undefined && s3 !== undefined) throw new UsageError(`${command} takes --export <folder> or --s3 <uri>, not both`);
  if (s3 !== undefined) return s3ExportSource(new S3Client({}), s3);
  if (folder === undefined) throw new UsageError(`${command} needs --export <folder> or --s3 s3://<bucket>/<prefix>`);
  return localExportSource(folder);
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
      s3: { type: 'string' },
      format: { type: 'string', default: 'table' },
      at: { type: 'string' },
      stats: { type: 'boolean', default: false },
      wide: { type: 'boolean', default: false },
    },
  });
  const [command, ...rest] = positionals;
  const table = values.table ?? process.env.AUDIT_TABLE_NAME ?? 'gatehouse-audit';
  if (command === 'export') {
    const bucket = values.bucket ?? process.env.GATEHOUSE_AUDIT_BUCKET;
    const client = new DynamoDBClient({});
    try {
      if (values.out) {
        const onProgress = (items: number) => io.stderr(`  ${items.toLocaleString('en-US')} items read from ${table}\n`);
        const done = await exportTableLocally(client, { tableName: table, outDir: values.out, onProgress, ...(values.partitions ? { partitions: Number(values.partitions) } : {}) }).catch(
          (error: unknown) => {
            if (error instanceof Error && error.name === 'ResourceNotFoundException') {
              throw new UsageError(`there is no table ${table} here (${process.env.AWS_ENDPOINT_URL_DYNAMODB ?? 'AWS'}): pass --table <name> (locally gatehouse-audit)`);
            }
            throw error;
          },
        );
        io.stdout(`exported ${done.itemCount} items of ${table} to ${done.exportDir}\n`);
      } else if (bucket) {
        const done = await exportTableToS3(client, {
          tableName: table,
          bucket,
          ...(values.prefix ? { prefix: values.prefix } : {}),
          ...(values['timeout-minutes'] ? { timeoutMs: Number(values['timeout-minutes']) * 60_000 } : {}),
          onPoll: (status) => io.stderr(`  export ${status}\n`),
        });
        io.stdout(`exported ${done.ItemCount ?? 0} items to s3://${done.S3Bucket ?? bucket}/${done.S3Prefix ? `${done.S3Prefix}/` : ''}AWSDynamoDB/ (${done.ExportArn ?? ''})\n`);
      } else throw new UsageError('export needs --out <folder> (local cloud), or --bucket <bucket> or GATEHOUSE_AUDIT_BUCKET (AWS)');
    } finally {
      client.destroy();
    }
    return 0;
  }
  if (command !== 'verify' && command !== 'query') throw new UsageError(`unknown command ${command ?? '(none)'}`);
  const source = await openSource(values.export, values.s3, command);
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
  const format = values.format as OutputFormat;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
  const result = await runQuery(source, buildQuery(rest[0], rest[1], values.at), { onProgress });
  io.stdout(formatResult(result, format, values.wide ? {} : { maxWidth: 120 }));
  stats();
  return 0;
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    return await run(argv, io);
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      io.stderr(`gatehouse audit: ${error.message.replace(/\. To specify a positional argument.*$/s, '')} (npm run audit -- --help)\n`);
      return 2;
    }
    if (error instanceof ExportFormatError || error instanceof ExportDestinationError || error instanceof RangeError) {
      io.stderr(`gatehouse audit: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

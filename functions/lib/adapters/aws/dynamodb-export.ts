import { DescribeExportCommand, DescribeTableCommand, ExportTableToPointInTimeCommand, type DynamoDBClient, type ExportDescription } from '@aws-sdk/client-dynamodb';
import { ExportNotCompletedError } from '../../domain/audit-export/errors.ts';
import { callAws } from './call-aws.ts';

/**
 * On AWS: ExportTableToPointInTime (the audit table has PITR on) to the given bucket and prefix,
 * then DescribeExport until it is COMPLETED, FAILED, or the deadline passes. An export of a
 * small table takes minutes; the default deadline is an hour.
 */
export interface AwsExportOptions {
  tableName: string;
  bucket: string;
  prefix?: string;
  /** Give up waiting after this long (default 60 min). The export itself keeps running. */
  timeoutMs?: number;
  pollMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  onPoll?: (status: string) => void;
}

export async function exportTableToS3(client: DynamoDBClient, options: AwsExportOptions): Promise<ExportDescription> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)));
  const now = options.now ?? Date.now;
  const { Table } = await callAws('describing the table', () => client.send(new DescribeTableCommand({ TableName: options.tableName })));
  if (!Table?.TableArn) throw new Error(`table ${options.tableName} has no ARN`);
  const tableArn = Table.TableArn;
  const started = await callAws('starting the export', () =>
    client.send(
      new ExportTableToPointInTimeCommand({
        TableArn: tableArn,
        S3Bucket: options.bucket,
        ...(options.prefix ? { S3Prefix: options.prefix } : {}),
        ExportFormat: 'DYNAMODB_JSON',
        ExportType: 'FULL_EXPORT',
      }),
    ),
  );
  const exportArn = started.ExportDescription?.ExportArn;
  if (!exportArn) throw new Error('ExportTableToPointInTime returned no ExportArn');
  const deadline = now() + (options.timeoutMs ?? 60 * 60_000);
  let description = started.ExportDescription;
  for (;;) {
    const status = description?.ExportStatus ?? 'IN_PROGRESS';
    options.onPoll?.(status);
    if (status === 'COMPLETED' && description) return description;
    if (status === 'FAILED') {
      throw new ExportNotCompletedError(`export ${exportArn} FAILED: ${description?.FailureCode ?? ''} ${description?.FailureMessage ?? ''}`.trim());
    }
    if (now() >= deadline) throw new ExportNotCompletedError(`export ${exportArn} still ${status} at the deadline; it keeps running, check it with DescribeExport`);
    await sleep(options.pollMs ?? 10_000);
    description = (await callAws('describing the export', () => client.send(new DescribeExportCommand({ ExportArn: exportArn })))).ExportDescription;
  }
}

import { DescribeExportCommand, DescribeTableCommand, DynamoDBClient, ExportTableToPointInTimeCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../functions/lib/runtime/audit-export-cli.ts';
import { exportTableToS3 } from '../../functions/lib/adapters/aws/dynamodb-export.ts';
import { ExportNotCompletedError } from '../../functions/lib/domain/audit-export/errors.ts';
import { captureIo } from './support.ts';

const TABLE_ARN = 'arn:aws:dynamodb:eu-west-1:123456789012:table/gatehouse-audit';
const EXPORT_ARN = `${TABLE_ARN}/export/01700000000000-a1b2c3d4`;
const dynamo = mockClient(DynamoDBClient);

/** A clock the fake sleep advances, so deadlines are tested without waiting. */
function fakeTime() {
  let now = 0;
  const slept: number[] = [];
  return { now: () => now, sleep: (ms: number) => ((now += ms), slept.push(ms), Promise.resolve()), slept };
}

beforeEach(() => {
  dynamo.reset();
  dynamo.on(DescribeTableCommand).resolves({ Table: { TableArn: TABLE_ARN } });
  dynamo.on(ExportTableToPointInTimeCommand).resolves({ ExportDescription: { ExportArn: EXPORT_ARN, ExportStatus: 'IN_PROGRESS' } });
});

describe('exportTableToS3', () => {
  it('starts a DYNAMODB_JSON full export of the table to the bucket and polls until it completes', async () => {
    dynamo
      .on(DescribeExportCommand)
      .resolvesOnce({ ExportDescription: { ExportArn: EXPORT_ARN, ExportStatus: 'IN_PROGRESS' } })
      .resolves({ ExportDescription: { ExportArn: EXPORT_ARN, ExportStatus: 'COMPLETED', ItemCount: 42, S3Bucket: 'audit-exports' } });
    const time = fakeTime();

    const done = await exportTableToS3(new DynamoDBClient({}), { tableName: 'gatehouse-audit', bucket: 'audit-exports', prefix: 'audit', pollMs: 5000, ...time });

    expect(done).toMatchObject({ ExportStatus: 'COMPLETED', ItemCount: 42 });
    expect(dynamo.commandCalls(ExportTableToPointInTimeCommand)[0]!.args[0].input).toEqual({
      TableArn: TABLE_ARN,
      S3Bucket: 'audit-exports',
      S3Prefix: 'audit',
      ExportFormat: 'DYNAMODB_JSON',
      ExportType: 'FULL_EXPORT',
    });
    expect(dynamo.commandCalls(DescribeExportCommand).map((call) => call.args[0].input)).toEqual([{ ExportArn: EXPORT_ARN }, { ExportArn: EXPORT_ARN }]);
    expect(time.slept).toEqual([5000, 5000]);
  });

  it('fails with the failure code and message when the export FAILED', async () => {
    dynamo.on(DescribeExportCommand).resolves({ ExportDescription: { ExportArn: EXPORT_ARN, ExportStatus: 'FAILED', FailureCode: 'S3AccessDenied', FailureMessage: 'no access to bucket' } });

    await expect(exportTableToS3(new DynamoDBClient({}), { tableName: 'gatehouse-audit', bucket: 'audit-exports', ...fakeTime() })).rejects.toThrow(
      new ExportNotCompletedError(`export ${EXPORT_ARN} FAILED: S3AccessDenied no access to bucket`),
    );
  });

  it('stops waiting at the deadline and says the export keeps running', async () => {
    dynamo.on(DescribeExportCommand).resolves({ ExportDescription: { ExportArn: EXPORT_ARN, ExportStatus: 'IN_PROGRESS' } });
    const time = fakeTime();

    await expect(exportTableToS3(new DynamoDBClient({}), { tableName: 'gatehouse-audit', bucket: 'b', timeoutMs: 60_000, pollMs: 10_000, ...time })).rejects.toThrow(
      /still IN_PROGRESS at the deadline; it keeps running/,
    );
    expect(time.slept).toHaveLength(6);
  });
});

describe('npm run audit -- export (AWS)', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('exports to the bucket in GATEHOUSE_AUDIT_BUCKET when --bucket is not given', async () => {
    vi.stubEnv('GATEHOUSE_AUDIT_BUCKET', 'gatehouse-audit-exports-123');
    dynamo.on(ExportTableToPointInTimeCommand).resolves({
      ExportDescription: { ExportArn: EXPORT_ARN, ExportStatus: 'COMPLETED', ItemCount: 7, S3Bucket: 'gatehouse-audit-exports-123', S3Prefix: 'audit' },
    });
    const io = captureIo();

    expect(await runCli(['export', '--prefix', 'audit', '--table', 'gatehouse-audit'], io)).toBe(0);

    expect(dynamo.commandCalls(ExportTableToPointInTimeCommand)[0]!.args[0].input).toMatchObject({ S3Bucket: 'gatehouse-audit-exports-123', S3Prefix: 'audit' });
    expect(io.out).toBe(`exported 7 items to s3://gatehouse-audit-exports-123/audit/AWSDynamoDB/ (${EXPORT_ARN})\n`);
  });

  it('without --out, --bucket or GATEHOUSE_AUDIT_BUCKET says what it needs', async () => {
    vi.stubEnv('GATEHOUSE_AUDIT_BUCKET', undefined);
    const io = captureIo();

    expect(await runCli(['export'], io)).toBe(2);
    expect(io.err).toMatch(/^export needs --out <folder> \(local cloud\), or --bucket <bucket> or GATEHOUSE_AUDIT_BUCKET \(AWS\)\n/);
  });
});

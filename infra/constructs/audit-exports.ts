import { CfnOutput, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { AccountRootPrincipal, AnyPrincipal, Effect, ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge } from './nag.ts';
import { flatten } from './wildcards.ts';

/** Name of the managed policy operators attach to export and read the audit table (docs/audit.md). */
export const AUDIT_EXPORTER_POLICY = 'gatehouse-audit-exporter';

/**
 * The bucket audit exports land in (`npm run audit -- export`, ExportTableToPointInTime) and the
 * managed policy that lets an operator run that export and read it back.
 *
 * Tamper resistance without Object Lock: versioning keeps every version of every object, and the
 * bucket policy denies deleting objects or versions to every principal but the account root
 * (break-glass), so an export, once written, stays as written even for administrators. Object
 * Lock is not enabled: it cannot be turned off again and DynamoDB's export writer would have to
 * satisfy its retention headers; an organisation that needs WORM compliance can enable it on
 * this bucket. Retained when the stack is deleted.
 */
export class AuditExports extends Construct {
  readonly bucket: Bucket;
  readonly exporterPolicy: ManagedPolicy;

  constructor(scope: Construct, id: string, props: { auditTable: ITable }) {
    super(scope, id);
    const stack = Stack.of(this);
    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const root = new AccountRootPrincipal();
    this.bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AuditExportsAreNeverDeleted',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutLifecycleConfiguration'],
        resources: [this.bucket.bucketArn, this.bucket.arnForObjects('*')],
        conditions: { StringNotEquals: { 'aws:PrincipalArn': root.arn } },
      }),
    );
    acknowledge(
      this.bucket,
      'AwsSolutions-S1',
      'exports are written by the DynamoDB export service and read by auditors; who called ExportTableToPointInTime and GetObject is in CloudTrail (enable S3 data events for object-level reads)',
    );

    const table = props.auditTable.tableArn;
    const objects = this.bucket.arnForObjects('*');
    this.exporterPolicy = new ManagedPolicy(this, 'ExporterPolicy', {
      managedPolicyName: AUDIT_EXPORTER_POLICY,
      description: 'Gatehouse: export the audit table to the audit exports bucket, and read exports back (npm run audit)',
      statements: [
        new PolicyStatement({ sid: 'ExportAuditTable', actions: ['dynamodb:DescribeTable', 'dynamodb:ExportTableToPointInTime'], resources: [table] }),
        new PolicyStatement({ sid: 'WatchExport', actions: ['dynamodb:DescribeExport'], resources: [`${table}/export/*`] }),
        new PolicyStatement({ sid: 'WriteExport', actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:PutObjectAcl'], resources: [objects] }),
        new PolicyStatement({ sid: 'ReadExports', actions: ['s3:GetObject'], resources: [objects] }),
        new PolicyStatement({ sid: 'ListExports', actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }),
      ],
    });
    const resolved = (value: string): string => flatten(stack.resolve(value));
    acknowledge(
      this.exporterPolicy,
      `AwsSolutions-IAM5[Resource::${resolved(`${table}/export/*`)}]`,
      'DynamoDB assigns export ids when the export starts; DescribeExport is scoped to exports of the audit table',
    );
    acknowledge(
      this.exporterPolicy,
      `AwsSolutions-IAM5[Resource::${resolved(objects)}]`,
      'DynamoDB names export objects (AWSDynamoDB/<export id>/...) at export time; scoped to the audit exports bucket only',
    );
    new CfnOutput(stack, 'AuditExportBucketName', { value: this.bucket.bucketName, description: 'npm run audit -- export: GATEHOUSE_AUDIT_BUCKET (docs/audit.md)' });
    new CfnOutput(stack, 'AuditExporterPolicyArn', { value: this.exporterPolicy.managedPolicyArn, description: 'attach to operators who export or read the audit trail' });
  }
}

import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { asList, ofType, policyStatements, referencedId, synthGatehouse, type Synthesised } from './synth.ts';
import { functionLogicalId, tableLogicalId } from './template.ts';

/** The audit exports bucket, the exporter managed policy, and what reconcile's role and alarm add. */

let synth: Synthesised;
beforeAll(() => {
  synth = synthGatehouse();
}, 180_000);

const bucketId = (): string => {
  // The console's site bucket (test/infra/console.test.ts) is the other one.
  const buckets = ofType(synth.resources, 'AWS::S3::Bucket').filter(([id]) => id.startsWith('AuditExports'));
  expect(buckets).toHaveLength(1);
  return buckets[0]![0];
};

describe('audit exports bucket', () => {
  it('is encrypted, private, versioned, retained and SSL-only', () => {
    const id = bucketId();
    expect(synth.resources[id]).toMatchObject({
      Properties: {
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        VersioningConfiguration: { Status: 'Enabled' },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      },
    });
    expect((synth.resources[id] as { DeletionPolicy?: string }).DeletionPolicy).toBe('Retain');
    synth.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: id },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Sid: 'AuditExportsAreNeverDeleted',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutLifecycleConfiguration'],
            Condition: { StringNotEquals: { 'aws:PrincipalArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::123456789012:root']] } } },
          }),
        ]),
      },
    });
  });

  it('names the bucket and the exporter policy in the outputs', () => {
    const outputs = (synth.template.toJSON() as { Outputs: Record<string, { Value: unknown }> }).Outputs;
    expect(referencedId(outputs.AuditExportBucketName?.Value)).toBe(bucketId());
    expect(referencedId(outputs.AuditExporterPolicyArn?.Value)).toBe(ofType(synth.resources, 'AWS::IAM::ManagedPolicy')[0]?.[0]);
  });
});

describe('gatehouse-audit-exporter policy', () => {
  it('allows exactly the export of the audit table into the bucket and reading it back', () => {
    const audit = tableLogicalId(synth.resources, 'audit');
    const table = { 'Fn::GetAtt': [audit, 'Arn'] };
    const objects = { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId(), 'Arn'] }, '/*']] };
    synth.template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      ManagedPolicyName: 'gatehouse-audit-exporter',
      PolicyDocument: {
        Statement: [
          { Sid: 'ExportAuditTable', Effect: 'Allow', Action: ['dynamodb:DescribeTable', 'dynamodb:ExportTableToPointInTime'], Resource: table },
          { Sid: 'WatchExport', Effect: 'Allow', Action: 'dynamodb:DescribeExport', Resource: { 'Fn::Join': ['', [table, '/export/*']] } },
          { Sid: 'WriteExport', Effect: 'Allow', Action: ['s3:AbortMultipartUpload', 's3:PutObject', 's3:PutObjectAcl'], Resource: objects },
          { Sid: 'ReadExports', Effect: 'Allow', Action: 's3:GetObject', Resource: objects },
          { Sid: 'ListExports', Effect: 'Allow', Action: 's3:ListBucket', Resource: { 'Fn::GetAtt': [bucketId(), 'Arn'] } },
        ],
      },
    });
  });
});

describe('reconcile', () => {
  const statementsOf = () => policyStatements(synth.resources).filter(({ roles }) => roles.some((role) => role.startsWith('FunctionsReconcile')));

  it('may delete users and memberships, stop and review-tag managed instances, and e-mail; never terminate', () => {
    const actions = statementsOf().flatMap(({ statement }) => asList(statement.Action));
    expect(actions).toEqual(expect.arrayContaining(['identitystore:DeleteUser', 'identitystore:DeleteGroupMembership', 'ec2:StopInstances', 'ec2:CreateTags', 'ses:SendEmail']));
    expect(actions).not.toContain('ec2:TerminateInstances');
    const tagging = statementsOf().find(({ statement }) => asList(statement.Action).includes('ec2:CreateTags'));
    expect(tagging?.statement.Condition).toEqual({
      StringEquals: { 'ec2:ResourceTag/gatehouse:managed': 'true' },
      'ForAllValues:StringEquals': { 'aws:TagKeys': ['gatehouse:review'] },
    });
  });

  it('gets its operator e-mail and removal share from the stack', () => {
    const fn = synth.resources[functionLogicalId(synth.resources, 'reconcile')];
    expect((fn?.Properties?.Environment as { Variables: Record<string, unknown> }).Variables).toMatchObject({
      MAIL_FROM: 'gatehouse@corp.example.com',
      OPERATOR_EMAIL: 'it-ops@corp.example.com',
      MAX_REMOVAL_SHARE: '0.1',
    });
  });

  it('alarms when the mass-deletion guard blocks a removal', () => {
    synth.monitoring.template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ $.message = "reconciliation removal blocked" }',
      MetricTransformations: [{ MetricNamespace: 'Gatehouse', MetricName: 'ReconcileRemovalBlocked', MetricValue: '1' }],
    });
    synth.monitoring.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ReconcileRemovalBlocked',
      Namespace: 'Gatehouse',
      Threshold: 1,
      AlarmActions: Match.anyValue(),
    });
  });
});

import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { callAws } from './call-aws.ts';

/**
 * The deployed catalogue is an S3 object: the CDK file asset `cdk deploy -c catalogueFile=...`
 * uploads (content-addressed key, so every version is its own immutable object and a rollback is
 * a redeploy of the old file). Read once per container at cold start with s3:GetObject, which the
 * stack grants each function on that one object only.
 */
const s3 = new S3Client({});

export async function readCatalogueObject(bucket: string, key: string, client: Pick<S3Client, 'send'> = s3): Promise<string> {
  const out = await callAws('reading the catalogue object', () => client.send(new GetObjectCommand({ Bucket: bucket, Key: key })));
  if (!out.Body) throw new Error(`s3://${bucket}/${key} has no body`);
  return out.Body.transformToString('utf8');
}

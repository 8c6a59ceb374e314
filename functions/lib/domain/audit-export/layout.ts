import { z } from 'zod';

/**
 * The layout DynamoDB's ExportTableToPointInTime writes (DYNAMODB_JSON, FULL_EXPORT):
 *
 *   <prefix>/AWSDynamoDB/<exportId>/manifest-summary.json   one JSON object
 *   <prefix>/AWSDynamoDB/<exportId>/manifest-files.json     one JSON object per line, per data file
 *   <prefix>/AWSDynamoDB/<exportId>/data/<random>.json.gz   gzip; one {"Item": {...DynamoDB JSON...}} per line
 *   (+ manifest-*.checksum and an empty _started)
 *
 * `dataFileS3Key` is relative to the bucket, prefix included.
 */
export const MANIFEST_SUMMARY = 'manifest-summary.json';
export const MANIFEST_FILES = 'manifest-files.json';

export const manifestSummarySchema = z.looseObject({
  version: z.string(),
  exportArn: z.string(),
  startTime: z.string(),
  endTime: z.string(),
  tableArn: z.string(),
  exportTime: z.string(),
  manifestFilesS3Key: z.string(),
  itemCount: z.number().int().min(0),
  outputFormat: z.literal('DYNAMODB_JSON'),
  exportType: z.string().optional(),
});
export type ManifestSummary = z.infer<typeof manifestSummarySchema>;

export const manifestFileSchema = z.looseObject({
  itemCount: z.number().int().min(0),
  md5Checksum: z.string(),
  etag: z.string(),
  dataFileS3Key: z.string().min(1),
});
export type ManifestFile = z.infer<typeof manifestFileSchema>;

/** `01700000000000-a1b2c3d4`: milliseconds and a random suffix, as DynamoDB names its exports. */
export const newExportId = (now: Date, random: string): string => `${String(now.getTime()).padStart(14, '0')}-${random}`;

import { randomUUID } from 'node:crypto';
import { isJsonObject, type JsonValue } from './types.ts';

/** The SDK response metadata AWS adds to the output of optimized integrations. */
export function httpMetadata(): JsonValue {
  const requestId = randomUUID();
  const headers = { 'Content-Type': 'application/json', 'x-amzn-RequestId': requestId, 'X-Amz-Executed-Version': '$LATEST' };
  return {
    SdkHttpMetadata: {
      AllHttpHeaders: Object.fromEntries(Object.entries(headers).map(([key, value]) => [key, [value]])),
      HttpHeaders: headers,
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: requestId },
  };
}

export const withMetadata = (result: JsonValue): JsonValue => ({ ...(isJsonObject(result) ? result : {}), ...(httpMetadata() as object) });

/** An Entries / Input member given as JSON in ASL is sent as text, as AWS does. */
export const asText = (value: JsonValue | undefined): JsonValue | undefined =>
  value === undefined || typeof value === 'string' ? value : JSON.stringify(value);


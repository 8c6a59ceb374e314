import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The module-singleton DynamoDB clients, created once per Lambda container. No endpoint here:
 * the SDK reads region and `AWS_ENDPOINT_URL_DYNAMODB` (set by the local cloud) from the
 * environment, so the same code talks to AWS and to DynamoDB Local.
 */
export const dynamoDbClient = new DynamoDBClient({});

/** Plain JS values in and out; undefined attributes are dropped rather than rejected. */
export const documentClient = DynamoDBDocumentClient.from(dynamoDbClient, {
  marshallOptions: { removeUndefinedValues: true },
});

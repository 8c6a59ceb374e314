import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** Module singleton, created once per container. Endpoint and region come from the environment. */
export const secretsmanagerClient = new SecretsManagerClient({});

import { SESv2Client } from '@aws-sdk/client-sesv2';

/** Module singleton, created once per container. Endpoint and region come from the environment. */
export const sesv2Client = new SESv2Client({});

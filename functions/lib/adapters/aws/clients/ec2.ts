import { EC2Client } from '@aws-sdk/client-ec2';

/** Module singleton, created once per container. Endpoint and region come from the environment. */
export const ec2Client = new EC2Client({});

import { SFNClient } from '@aws-sdk/client-sfn';

/** Module singleton, created once per container. Endpoint and region come from the environment. */
export const sfnClient = new SFNClient({});

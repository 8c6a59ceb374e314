import { SchedulerClient } from '@aws-sdk/client-scheduler';

/** Module singleton, created once per container. Endpoint and region come from the environment. */
export const schedulerClient = new SchedulerClient({});

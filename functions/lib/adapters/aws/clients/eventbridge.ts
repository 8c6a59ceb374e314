import { EventBridgeClient } from '@aws-sdk/client-eventbridge';

/** Module singleton, created once per container. Endpoint and region come from the environment. */
export const eventbridgeClient = new EventBridgeClient({});

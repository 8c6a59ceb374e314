import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { callAws } from './call-aws.ts';
import { EVENT_SOURCE } from '#lib/domain/events/employee-events';
import { PublishFailedError, type EventPublisher } from '../../domain/ingest/accept-webhook.ts';

/** PutEvents takes at most 10 entries per call. */
const BATCH = 10;

export function eventBridgePublisher(client: EventBridgeClient, eventBusName: string): EventPublisher {
  return {
    async publish(events) {
      for (let i = 0; i < events.length; i += BATCH) {
        const entries = events.slice(i, i + BATCH).map((event) => ({
          EventBusName: eventBusName,
          Source: EVENT_SOURCE,
          DetailType: event.type,
          Detail: JSON.stringify(event),
        }));
        const out = await callAws('publishing events', () => client.send(new PutEventsCommand({ Entries: entries })));
        if ((out.FailedEntryCount ?? 0) > 0) {
          const codes = [...new Set((out.Entries ?? []).map((e) => e.ErrorCode).filter(Boolean))].join(', ');
          throw new PublishFailedError(`EventBridge rejected ${out.FailedEntryCount} of ${entries.length} events (${codes})`);
        }
      }
    },
  };
}

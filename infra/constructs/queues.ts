import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { acknowledge } from './nag.ts';

/**
 * A dead-letter queue: SQS-managed encryption (EventBridge, Scheduler and Lambda can all
 * write to it without a key policy), TLS only, 14 days to look at what failed. Alarmed on
 * depth by the operations construct.
 */
export function deadLetterQueue(scope: Construct, id: string): Queue {
  const queue = new Queue(scope, id, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  acknowledge(queue, 'AwsSolutions-SQS3', 'This queue is itself a dead-letter queue; messages in it are alarmed on and inspected by hand, not redriven automatically.');
  return queue;
}

import { Duration } from 'aws-cdk-lib';
import { EventBus, Rule, type EventPattern } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EVENT_BUS_NAME, EVENT_RULES } from '../spec/wiring.ts';
import type { Functions } from './functions.ts';
import { pascal } from './names.ts';
import { deadLetterQueue } from './queues.ts';

/** The `gatehouse` bus. Created before the functions: hris-webhook publishes to it. */
export class Events extends Construct {
  readonly bus: EventBus;
  /** Events the bus could not deliver to a target after its retries. */
  readonly deliveryDeadLetters: Queue;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.bus = new EventBus(this, 'Bus', { eventBusName: EVENT_BUS_NAME, description: 'Gatehouse: normalised employee events' });
    this.deliveryDeadLetters = deadLetterQueue(this, 'DeliveryDeadLetters');
  }

  /** One rule per wiring.ts EVENT_RULES entry, targeting its function with retries and a DLQ. */
  addRules(functions: Functions): void {
    const defaultBus = EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    for (const spec of EVENT_RULES) {
      const rule = new Rule(this, pascal(spec.name), {
        eventBus: spec.bus === 'default' ? defaultBus : this.bus,
        ruleName: `gatehouse-${spec.name}`,
        eventPattern: toEventPattern(spec.name, spec.eventPattern),
      });
      rule.addTarget(
        new LambdaFunction(functions.get(spec.targetFunction, `event rule ${spec.name}`), {
          deadLetterQueue: this.deliveryDeadLetters,
          retryAttempts: 8,
          maxEventAge: Duration.hours(24),
        }),
      );
    }
  }
}

/** wiring.ts writes patterns as EventBridge JSON; CDK wants camelCase keys. */
const PATTERN_KEYS: Record<string, keyof EventPattern> = {
  source: 'source',
  'detail-type': 'detailType',
  detail: 'detail',
  account: 'account',
  region: 'region',
  resources: 'resources',
};

function toEventPattern(rule: string, pattern: Readonly<Record<string, unknown>>): EventPattern {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(pattern)) {
    const cdkKey = PATTERN_KEYS[key];
    if (!cdkKey) throw new Error(`wiring.ts EVENT_RULES ${rule}: unsupported event pattern key '${key}'`);
    out[cdkKey] = value;
  }
  return out;
}

import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { FilterPattern, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { pascal } from './names.ts';

export interface OperationsProps {
  /** Subscribed by e-mail (confirm the first message); undefined = no subscription. */
  operatorEmail: string | undefined;
}

const FIVE_MINUTES = Duration.minutes(5);

/**
 * What wakes an operator: an encrypted SNS topic and alarms on failed or timed-out
 * executions, webhook throttling (429s), function errors and dead-letter queue depth.
 * Every alarm fires on the first occurrence in five minutes: each one is a person whose
 * access did not change as it should.
 */
export class Operations extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    // CloudWatch alarms cannot publish to a topic encrypted with the AWS-managed SNS key.
    const key = new Key(this, 'TopicKey', { enableKeyRotation: true, description: 'Gatehouse operator alarms topic' });
    key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topic = new Topic(this, 'OperatorTopic', { displayName: 'Gatehouse operators', masterKey: key, enforceSSL: true });
    if (props.operatorEmail) this.topic.addSubscription(new EmailSubscription(props.operatorEmail));
  }

  private alarm(id: string, metric: IMetric, description: string): void {
    const alarm = new Alarm(this, id, {
      metric,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
  }

  watchStateMachine(name: string, machine: StateMachine): void {
    this.alarm(`${pascal(name)}ExecutionsFailed`, machine.metricFailed({ period: FIVE_MINUTES, statistic: 'Sum' }), `gatehouse-${name}: an execution failed; see its history and the audit trail`);
    this.alarm(`${pascal(name)}ExecutionsTimedOut`, machine.metricTimedOut({ period: FIVE_MINUTES, statistic: 'Sum' }), `gatehouse-${name}: an execution timed out`);
  }

  watchFunction(name: string, fn: NodejsFunction): void {
    this.alarm(`${pascal(name)}Errors`, fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }), `gatehouse-${name}: invocation errors`);
  }

  watchDeadLetters(name: string, queue: Queue): void {
    this.alarm(
      `${pascal(name)}DeadLetterDepth`,
      queue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum' }),
      `${name}: events that could not be delivered are waiting in the dead-letter queue`,
    );
  }

  /** Reconcile's remove mode stopped at the mass-deletion guard: its log line, counted by a metric filter. */
  watchReconcileGuard(fn: NodejsFunction): void {
    const filter = new MetricFilter(this, 'ReconcileRemovalBlockedFilter', {
      logGroup: fn.logGroup,
      filterPattern: FilterPattern.stringValue('$.message', '=', 'reconciliation removal blocked'),
      metricNamespace: 'Gatehouse',
      metricName: 'ReconcileRemovalBlocked',
      metricValue: '1',
    });
    this.alarm(
      'ReconcileRemovalBlocked',
      filter.metric({ period: FIVE_MINUTES, statistic: 'Sum' }),
      'gatehouse-reconcile: a removal was blocked by the mass-deletion guard (empty roster or too many deletions); the operator e-mail says why',
    );
  }

  watchThrottling(metric: IMetric): void {
    this.alarm('HttpApiThrottled', metric, 'HTTP API answered 429: an HRIS or approver was throttled (HRIS senders retry; check the stage limits)');
  }
}

import { Stack } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Schedule, ScheduleExpression, ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FUNCTIONS } from '../spec/functions.ts';
import { SCHEDULER_SERVICE_PRINCIPAL, schedulerTrustConditions } from '../spec/scheduler-trust.ts';
import { OPERATOR_SCHEDULED_MACHINES, SCHEDULE_GROUP_NAME } from '../spec/wiring.ts';
import type { Functions } from './functions.ts';
import { stateMachineArn } from './names.ts';
import { deadLetterQueue } from './queues.ts';

/** State machines that runtime-created schedules start: the `targets` of every scheduler access in the function specs, and the operators' (recurring reviews). */
export function scheduledStateMachines(): string[] {
  const targets = FUNCTIONS.flatMap((spec) => (spec.access ?? []).flatMap((access) => (access.service === 'scheduler' ? access.targets : [])));
  return [...new Set([...targets, ...OPERATOR_SCHEDULED_MACHINES])].sort();
}

/**
 * The `gatehouse` schedule group, the role its one-time schedules use to start workflows
 * (by deterministic ARN, so the leaver can be targeted before it exists), and the daily
 * reconciliation schedule when functions/reconcile exists.
 */
export class Scheduling extends Construct {
  readonly group: ScheduleGroup;
  readonly schedulerRole: Role;
  readonly deadLetterQueues = new Map<string, Queue>();

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);
    this.group = new ScheduleGroup(this, 'Group', { scheduleGroupName: SCHEDULE_GROUP_NAME });
    this.schedulerRole = new Role(this, 'StartWorkflowRole', {
      description: 'Gatehouse schedules (end dates, grant expiry, recurring reviews): start the named workflows only',
      // The trust is data (infra/spec/scheduler-trust.ts) the local Scheduler enforces too.
      assumedBy: new ServicePrincipal(SCHEDULER_SERVICE_PRINCIPAL, {
        conditions: schedulerTrustConditions({ partition: stack.partition, region: stack.region, account: stack.account }),
      }),
    });
    const machines = scheduledStateMachines();
    if (machines.length > 0) {
      this.schedulerRole.addToPrincipalPolicy(
        new PolicyStatement({ actions: ['states:StartExecution'], resources: machines.map((name) => stateMachineArn(stack, name)) }),
      );
    }
  }

  /** Daily reconciliation; skipped while functions/reconcile does not exist. */
  addReconciliation(functions: Functions, expression: string): void {
    const reconcile = functions.functions.get('reconcile');
    if (!reconcile) return;
    const dlq = deadLetterQueue(this, 'ReconcileScheduleDeadLetters');
    this.deadLetterQueues.set('reconcile-schedule', dlq);
    new Schedule(this, 'DailyReconciliation', {
      scheduleGroup: this.group,
      schedule: ScheduleExpression.expression(expression),
      description: 'Gatehouse: compare who should have what with what exists; report orphans',
      target: new LambdaInvoke(reconcile, { deadLetterQueue: dlq, retryAttempts: 2 }),
    });
  }
}

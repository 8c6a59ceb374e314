import { DescribeExecutionCommand, ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { GetScheduleCommand, ResourceNotFoundException, SchedulerClient } from '@aws-sdk/client-scheduler';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compressedClock } from '../../local/core/emulator-clock.ts';
import { stateMachineArn } from '../../local/core/arn.ts';
import { hirePayload } from '../../local/demo/hris.ts';
import { createReviewStore } from '../../functions/lib/adapters/dynamodb/reviews.ts';
import { runReviewCli } from '../../tools/review-cli.ts';
import { until } from '../support/poll.ts';
import { employeeId, finishedJoiner, startE2eCloud, type E2eCloud } from './support/e2e-cloud.ts';

/**
 * A recurring campaign on the whole local cloud: `review schedule` creates an EventBridge
 * Scheduler schedule (rate(90 days)) that starts the access-review machine; on a Scheduler clock
 * compressed so a quarter passes in 3 s, it starts one campaign at once and the next a quarter
 * later, each a snapshot of the population with the scheduled time in its input. A bad
 * expression is refused naming it, and creates nothing.
 */

const QUARTER_MS = 90 * 86_400_000;
let e2e: E2eCloud;

beforeAll(async () => {
  e2e = await startE2eCloud('review-recurring', { schedulerClock: compressedClock(QUARTER_MS / 3000) });
});

afterAll(async () => {
  await e2e?.stop();
});

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runReviewCli(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) }, { env: { ...process.env, ...e2e.cloud.env } });
  return { code, stdout, stderr };
}

describe('recurring access reviews', () => {
  it('a rate(90 days) schedule starts a campaign now and another a quarter later', async () => {
    const eng = employeeId('rec');
    await e2e.hris.post(hirePayload({ id: eng, role: 'engineer', managerEmail: 'vic.vp@example.com' }), `${eng}-hire`);
    expect((await finishedJoiner(e2e.sfn, `generic-${eng}-hire`)).status).toBe('SUCCEEDED');

    // A typo in the expression is named and nothing is scheduled.
    await expect(cli('schedule', 'quarterly', '--every', 'cron(0 9 * * * *)', '--name', 'Quarterly review')).rejects.toThrow(
      /ScheduleExpression cron\(0 9 \* \* \* \*\) is not valid: one of day-of-month and day-of-week must be \?/,
    );
    await expect(cli('schedule', 'quarterly', '--every', 'every quarter', '--name', 'Quarterly review')).rejects.toThrow(/expression: rate\(<n> minutes\|hours\|days\) or cron/);
    const scheduler = new SchedulerClient({});
    await expect(scheduler.send(new GetScheduleCommand({ Name: 'review-quarterly', GroupName: 'gatehouse' }))).rejects.toBeInstanceOf(ResourceNotFoundException);

    const made = await cli('schedule', 'quarterly', '--every', 'rate(90 days)', '--name', 'Quarterly review', '--scope', 'all', '--due', '600', '--remind', '300', '--escalate', '300');
    expect(made.stderr).toBe('');
    expect(made.stdout).toBe('created schedule review-quarterly: rate(90 days) (UTC)\n');

    const machine = stateMachineArn('access-review');
    const runs = async () => (await e2e.sfn.send(new ListExecutionsCommand({ stateMachineArn: machine }))).executions ?? [];
    const started = await until(runs, (list) => list.length >= 2, { timeoutMs: 20_000, everyMs: 100 });
    const [first, second] = [...started].sort((a, b) => (a.startDate?.getTime() ?? 0) - (b.startDate?.getTime() ?? 0));
    const inputs = await Promise.all(
      [first!, second!].map(async (run) => {
        const described = await e2e.sfn.send(new DescribeExecutionCommand({ executionArn: run.executionArn }));
        return JSON.parse(described.input ?? '{}') as { campaign: { name: string }; recurrence: { schedule: string; scheduledTime: string } };
      }),
    );
    // The scheduled times are a quarter apart, filled in by Scheduler (context attribute), second precision.
    const [t1, t2] = inputs.map((input) => Date.parse(input.recurrence.scheduledTime));
    expect(t2! - t1!).toBeGreaterThan(QUARTER_MS - 2000);
    expect(t2! - t1!).toBeLessThan(QUARTER_MS + 2000);
    expect(inputs.map((input) => input.recurrence.schedule)).toEqual(['review-quarterly', 'review-quarterly']);

    // Each start is its own campaign (id = the execution's name) with a snapshot that holds the engineer's grants.
    const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    const store = createReviewStore({ client: doc, tableName: e2e.cloud.env.REVIEWS_TABLE_NAME! });
    for (const run of [first!, second!]) {
      const campaign = await until(() => store.getCampaign(run.name!), (found) => found !== undefined, { timeoutMs: 20_000, everyMs: 200 });
      expect(campaign).toMatchObject({ campaignId: run.name, definition: { name: 'Quarterly review' }, status: 'open' });
      const items = await store.listItems(run.name!);
      expect(items.filter((item) => item.employeeId === eng).length).toBeGreaterThan(0);
    }

    // Scheduling it again under the same name replaces the definition.
    const again = await cli('schedule', 'quarterly', '--every', 'cron(0 9 ? JAN,APR,JUL,OCT 2#1 *)', '--timezone', 'Europe/Berlin', '--name', 'Quarterly review');
    expect(again.stdout).toBe('updated schedule review-quarterly: cron(0 9 ? JAN,APR,JUL,OCT 2#1 *) (Europe/Berlin)\n');
    await expect(scheduler.send(new GetScheduleCommand({ Name: 'review-quarterly', GroupName: 'gatehouse' }))).resolves.toMatchObject({
      ScheduleExpression: 'cron(0 9 ? JAN,APR,JUL,OCT 2#1 *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
    });
    scheduler.destroy();
    doc.destroy();
  }, 90_000);
});

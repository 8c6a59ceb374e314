import { describe, expect, it } from 'vitest';
import { pauseRecurringReview, recurringScheduleSpec, scheduleRecurringReview, type RecurringReviews, type RecurringScheduleSpec } from '../../../functions/lib/domain/reviews/recurring.ts';
import { RecurringReviewNotFoundError } from '../../../functions/lib/domain/reviews/errors.ts';
import { ValidationError } from '../../../functions/lib/domain/shared/errors.ts';

const campaign = { name: 'Prod quarterly', scope: { kind: 'risk', atLeast: 'high' }, dueInSeconds: 1_209_600, remindEverySeconds: 259_200, escalationSeconds: 259_200 };

function recording(): { schedules: Pick<RecurringReviews, 'put'>; put: RecurringScheduleSpec[] } {
  const put: RecurringScheduleSpec[] = [];
  return { put, schedules: { put: (spec) => (put.push(spec), Promise.resolve(put.length === 1 ? 'created' : 'updated')) } };
}

describe('recurring campaigns', () => {
  it('become a schedule review-<name> whose input is the access-review input with the scheduled time', async () => {
    const deps = recording();
    const done = await scheduleRecurringReview(deps, { name: 'prod-quarterly', schedule: { expression: 'cron(0 9 ? JAN,APR,JUL,OCT 2#1 *)', timezone: 'Europe/Berlin' }, campaign });
    expect(done).toEqual({ scheduleName: 'review-prod-quarterly', change: 'created' });
    const [spec] = deps.put;
    expect(spec).toMatchObject({ scheduleName: 'review-prod-quarterly', expression: 'cron(0 9 ? JAN,APR,JUL,OCT 2#1 *)', timezone: 'Europe/Berlin' });
    const input = JSON.parse(spec!.input) as Record<string, unknown>;
    // The definition is the parsed one (defaults filled in), as `review start` would send it.
    expect(input).toEqual({
      campaign: { ...campaign, reviewers: { low: 'manager', high: 'manager-then-owner' }, defaults: { low: 'keep', high: 'revoke' } },
      recurrence: { schedule: 'review-prod-quarterly', scheduledTime: '<aws.scheduler.scheduled-time>' },
    });
    expect(recurringScheduleSpec({ name: 'q', schedule: { expression: 'rate(90 days)', timezone: 'UTC' }, campaign: { ...campaign, scope: { kind: 'all' } } as never }).timezone).toBe('UTC');
  });

  it('refuses a bad name, expression or definition, naming it, and schedules nothing', async () => {
    const deps = recording();
    const cases: [unknown, RegExp][] = [
      [{ name: 'has space', schedule: { expression: 'rate(1 day)' }, campaign }, /schedule name/],
      [{ name: 'q', schedule: { expression: 'every quarter' }, campaign }, /expression: rate\(<n> minutes\|hours\|days\) or cron/],
      [{ name: 'q', schedule: { expression: 'cron(0 9 * *)' }, campaign }, /expression/],
      // AWS's rate rule: a positive value, the unit singular for 1 and plural above.
      [{ name: 'q', schedule: { expression: 'rate(1 days)' }, campaign }, /unit singular for 1 and plural above/],
      [{ name: 'q', schedule: { expression: 'rate(5 day)' }, campaign }, /unit singular for 1 and plural above/],
      [{ name: 'q', schedule: { expression: 'rate(0 days)' }, campaign }, /positive number/],
      [{ name: 'q', schedule: { expression: 'rate(1 day)', timezone: 'Europe/Berlin; rm' }, campaign }, /timezone/],
      [{ name: 'q', schedule: { expression: 'rate(1 day)' }, campaign: { ...campaign, dueInSeconds: 1 } }, /dueInSeconds/],
    ];
    for (const [input, message] of cases) {
      await expect(scheduleRecurringReview(deps, input)).rejects.toThrow(ValidationError);
      await expect(scheduleRecurringReview(deps, input)).rejects.toThrow(message);
    }
    expect(deps.put).toEqual([]);
  });

  it('pauses and resumes by name (schedule review-<name>); a bad or unknown name is refused and changes nothing', async () => {
    const calls: [string, boolean][] = [];
    const schedules = { setPaused: (name: string, paused: boolean) => (calls.push([name, paused]), Promise.resolve(name === 'review-prod-quarterly')) };
    expect(await pauseRecurringReview({ schedules }, 'prod-quarterly', true)).toEqual({ scheduleName: 'review-prod-quarterly', paused: true });
    expect(await pauseRecurringReview({ schedules }, 'prod-quarterly', false)).toEqual({ scheduleName: 'review-prod-quarterly', paused: false });
    await expect(pauseRecurringReview({ schedules }, 'other', true)).rejects.toBeInstanceOf(RecurringReviewNotFoundError);
    await expect(pauseRecurringReview({ schedules }, 'has space', true)).rejects.toThrow(/schedule name/);
    expect(calls).toEqual([['review-prod-quarterly', true], ['review-prod-quarterly', false], ['review-other', true]]);
  });
});

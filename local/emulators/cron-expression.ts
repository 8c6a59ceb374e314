/**
 * EventBridge Scheduler `cron(minutes hours day-of-month month day-of-week year)`, as the
 * Scheduler and EventBridge docs define it
 * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html#cron-based,
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cron-expressions.html):
 *
 * | field | values | wildcards |
 * | --- | --- | --- |
 * | minutes | 0-59 | , - * / |
 * | hours | 0-23 | , - * / |
 * | day-of-month | 1-31 | , - * ? / L W |
 * | month | 1-12 or JAN-DEC | , - * / |
 * | day-of-week | 1-7 or SUN-SAT (1 = Sunday) | , - * ? L # |
 * | year | 1970-2199 | , - * / |
 *
 * One of day-of-month and day-of-week must be `?` (not both, not neither); `#` stands alone in
 * its field. Times are wall-clock times of the schedule's time zone: the caller converts.
 */

export class CronSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CronSyntaxError';
  }
}

type DayOfMonth = { kind: 'any' } | { kind: 'days'; days: Set<number> } | { kind: 'last' } | { kind: 'nearestWeekday'; day: number } | { kind: 'lastWeekday' };
type DayOfWeek = { kind: 'any' } | { kind: 'days'; days: Set<number> } | { kind: 'lastOf'; day: number } | { kind: 'nth'; day: number; nth: number };

export interface CronSpec {
  minutes: Set<number>;
  hours: Set<number>;
  dayOfMonth: DayOfMonth;
  months: Set<number>;
  dayOfWeek: DayOfWeek;
  years: Set<number>;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
export const CRON_YEARS = { min: 1970, max: 2199 } as const;

interface Range {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

function value(text: string, range: Range): number {
  const named = range.names?.indexOf(text.toUpperCase()) ?? -1;
  const number = named >= 0 ? named + range.min : /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(number) || number < range.min || number > range.max) {
    throw new CronSyntaxError(`${range.name} value ${text} is not in ${range.min}-${range.max}`);
  }
  return number;
}

/** `*`, `a`, `a-b`, with an optional `/step`, comma-separated. */
function valueSet(text: string, range: Range): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const [span = '', stepText, extra] = part.split('/');
    if (extra !== undefined || span === '') throw new CronSyntaxError(`${range.name} has an empty or doubled part in ${text}`);
    const step = stepText === undefined ? 1 : value(stepText, { ...range, name: `${range.name} increment`, min: 1 });
    let from: number;
    let to: number;
    if (span === '*') [from, to] = [range.min, range.max];
    else if (span.includes('-')) {
      const [a = '', b = ''] = span.split('-');
      [from, to] = [value(a, range), value(b, range)];
      if (from > to) throw new CronSyntaxError(`${range.name} range ${span} runs backwards`);
    } else [from, to] = [value(span, range), stepText === undefined ? value(span, range) : range.max];
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

const MINUTES: Range = { name: 'minutes', min: 0, max: 59 };
const HOURS: Range = { name: 'hours', min: 0, max: 23 };
const DOM: Range = { name: 'day-of-month', min: 1, max: 31 };
const MONTH: Range = { name: 'month', min: 1, max: 12, names: MONTHS };
const DOW: Range = { name: 'day-of-week', min: 1, max: 7, names: WEEKDAYS };
const YEAR: Range = { name: 'year', min: CRON_YEARS.min, max: CRON_YEARS.max };

function dayOfMonth(text: string): DayOfMonth {
  if (text === '?') return { kind: 'any' };
  if (text === 'L') return { kind: 'last' };
  if (text === 'LW') return { kind: 'lastWeekday' };
  const weekday = /^(\d{1,2})W$/.exec(text);
  if (weekday) return { kind: 'nearestWeekday', day: value(weekday[1]!, DOM) };
  return { kind: 'days', days: valueSet(text, DOM) };
}

function dayOfWeek(text: string): DayOfWeek {
  if (text === '?') return { kind: 'any' };
  if (text === 'L') return { kind: 'days', days: new Set([7]) }; // the last day of the week: Saturday
  const last = /^(\w{1,3})L$/.exec(text);
  if (last) return { kind: 'lastOf', day: value(last[1]!, DOW) };
  if (text.includes('#')) {
    const nth = /^(\w{1,3})#([1-5])$/.exec(text);
    if (!nth) throw new CronSyntaxError(`day-of-week ${text}: # takes one <day>#<1-5>, alone in the field`);
    return { kind: 'nth', day: value(nth[1]!, DOW), nth: Number(nth[2]) };
  }
  return { kind: 'days', days: valueSet(text, DOW) };
}

export function parseCron(body: string): CronSpec {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) throw new CronSyntaxError(`cron takes six fields (minutes hours day-of-month month day-of-week year), not ${fields.length}`);
  const [min, hour, dom, month, dow, year] = fields as [string, string, string, string, string, string];
  if ((dom === '?') === (dow === '?')) {
    throw new CronSyntaxError('one of day-of-month and day-of-week must be ? (a value or * in one needs ? in the other)');
  }
  return {
    minutes: valueSet(min, MINUTES),
    hours: valueSet(hour, HOURS),
    dayOfMonth: dayOfMonth(dom),
    months: valueSet(month, MONTH),
    dayOfWeek: dayOfWeek(dow),
    years: valueSet(year, YEAR),
  };
}

const DAY_MS = 86_400_000;
const daysIn = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();
/** 1 = Sunday ... 7 = Saturday, as cron counts. */
const weekdayOf = (year: number, month: number, day: number): number => new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;
const isWeekday = (weekday: number): boolean => weekday >= 2 && weekday <= 6;

/** The weekday (Mon-Fri) nearest `day` within its month, as `W` means. */
function nearestWeekday(year: number, month: number, day: number): number {
  const last = daysIn(year, month);
  const d = Math.min(day, last);
  const weekday = weekdayOf(year, month, d);
  if (isWeekday(weekday)) return d;
  if (weekday === 7) return d === 1 ? 3 : d - 1; // Saturday: Friday before, or Monday after the 1st
  return d === last ? d - 2 : d + 1; // Sunday: Monday after, or Friday before the last day
}

function dayMatches(spec: CronSpec, year: number, month: number, day: number): boolean {
  const last = daysIn(year, month);
  const weekday = weekdayOf(year, month, day);
  const dom = spec.dayOfMonth;
  const dow = spec.dayOfWeek;
  switch (dom.kind) {
    case 'days':
      return dom.days.has(day);
    case 'last':
      return day === last;
    case 'lastWeekday':
      return day === nearestWeekday(year, month, last);
    case 'nearestWeekday':
      return day === nearestWeekday(year, month, dom.day);
    case 'any':
      break;
  }
  switch (dow.kind) {
    case 'days':
      return dow.days.has(weekday);
    case 'lastOf':
      return weekday === dow.day && day + 7 > last;
    case 'nth':
      return weekday === dow.day && Math.ceil(day / 7) === dow.nth;
    case 'any':
      return true;
  }
}

const sorted = (values: Set<number>): number[] => [...values].sort((a, b) => a - b);

/**
 * The first wall-clock minute (as a UTC epoch of the wall-clock fields) strictly after
 * `afterWallMs` that the expression names, or undefined when none is left (the year field ends).
 */
export function nextCronWallTime(spec: CronSpec, afterWallMs: number): number | undefined {
  const minutes = sorted(spec.minutes);
  const hours = sorted(spec.hours);
  const start = new Date(Math.floor(afterWallMs / 60_000) * 60_000 + 60_000);
  let day = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate());
  const firstMinuteOfDay = start.getUTCHours() * 60 + start.getUTCMinutes();
  for (let first = true; ; first = false, day += DAY_MS) {
    const date = new Date(day);
    const year = date.getUTCFullYear();
    if (year > CRON_YEARS.max) return undefined;
    const month = date.getUTCMonth() + 1;
    if (!spec.years.has(year) || !spec.months.has(month)) {
      // Skip to the first day of the next month.
      day = Date.UTC(year, month, 1) - DAY_MS;
      continue;
    }
    if (!dayMatches(spec, year, month, date.getUTCDate())) continue;
    for (const hour of hours) {
      for (const minute of minutes) {
        if (first && hour * 60 + minute < firstMinuteOfDay) continue;
        return day + (hour * 60 + minute) * 60_000;
      }
    }
  }
}

import { randomUUID } from 'node:crypto';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../core/arn.ts';
import { matchesEventPattern, type EventPattern } from './event-pattern.ts';
import { deliverToTarget, type TargetPorts } from './targets.ts';

/** The envelope EventBridge wraps around every PutEvents entry before matching rules. */
export interface EventEnvelope {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

export interface PutEventsEntry {
  Time?: unknown;
  Source?: unknown;
  DetailType?: unknown;
  Detail?: unknown;
  EventBusName?: unknown;
  Resources?: unknown;
}

export interface DeliveryTarget {
  Id: string;
  Arn: string;
  Input?: string;
  InputPath?: string;
}

export interface RouteRule {
  name: string;
  pattern: EventPattern;
  targets: DeliveryTarget[];
}

/** An entry EventBridge refuses, reported per entry with its own error code. */
export class EntryError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'EntryError';
  }
}

const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function requiredString(entry: PutEventsEntry, member: 'Source' | 'DetailType' | 'Detail'): string {
  const value = entry[member];
  if (typeof value !== 'string' || value.length === 0) {
    throw new EntryError('InvalidArgument', `Parameter ${member} is not valid. Reason: ${member} is a required argument.`);
  }
  return value;
}

/** Checks one entry and wraps it in the event envelope; throws EntryError for a bad entry. */
export function buildEnvelope(entry: PutEventsEntry, now: number): EventEnvelope {
  const source = requiredString(entry, 'Source');
  const detailType = requiredString(entry, 'DetailType');
  let detail: unknown;
  try {
    detail = JSON.parse(requiredString(entry, 'Detail'));
  } catch (error) {
    if (error instanceof EntryError) throw error;
    throw new EntryError('MalformedDetail', 'Detail is malformed.');
  }
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
    throw new EntryError('MalformedDetail', 'Detail is malformed: it must be a JSON object.');
  }
  const resources = entry.Resources ?? [];
  if (!Array.isArray(resources) || !resources.every((r): r is string => typeof r === 'string')) {
    throw new EntryError('InvalidArgument', 'Parameter Resources is not valid. Reason: Resources must be a list of strings.');
  }
  const time = typeof entry.Time === 'number' && Number.isFinite(entry.Time) ? entry.Time * 1000 : now;
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': detailType,
    source,
    account: LOCAL_ACCOUNT,
    time: isoSeconds(time),
    region: LOCAL_REGION,
    resources,
    detail: detail as Record<string, unknown>,
  };
}

/** The size EventBridge charges an entry against the 256 KB limit. */
export function entrySize(entry: PutEventsEntry): number {
  const bytes = (value: unknown): number => (typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : 0);
  const resources = Array.isArray(entry.Resources) ? entry.Resources.reduce((sum: number, r: unknown) => sum + bytes(r), 0) : 0;
  return (entry.Time === undefined ? 0 : 14) + bytes(entry.Source) + bytes(entry.DetailType) + bytes(entry.Detail) + resources;
}

/** `$`, `$.a.b`, `$.list[0].c`: the JSONPath subset InputPath needs. */
export const INPUT_PATH = /^\$(\.[A-Za-z0-9_-]+|\[\d+\])*$/;

export function selectInputPath(value: unknown, path: string): unknown {
  const steps = path.slice(1).match(/\.[A-Za-z0-9_-]+|\[\d+\]/g) ?? [];
  let current: unknown = value;
  for (const step of steps) {
    if (current === null || typeof current !== 'object') return undefined;
    const key = step.startsWith('.') ? step.slice(1) : Number(step.slice(1, -1));
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

/** The JSON text a target receives: its constant Input, the InputPath selection, or the whole event. */
export function targetInput(target: DeliveryTarget, event: EventEnvelope): string {
  if (target.Input !== undefined) return target.Input;
  if (target.InputPath !== undefined) return JSON.stringify(selectInputPath(event, target.InputPath) ?? null);
  return JSON.stringify(event);
}

/**
 * Sends an event to the targets of every rule it matches, one after the other, and
 * answers how many deliveries failed. Failures are logged (with ids, never the event
 * body) and never thrown: PutEvents has already accepted the event.
 */
export async function deliverEvent(ports: TargetPorts, rules: RouteRule[], event: EventEnvelope): Promise<number> {
  let failed = 0;
  for (const rule of rules) {
    if (!matchesEventPattern(rule.pattern, event)) continue;
    for (const target of rule.targets) {
      try {
        await deliverToTarget(ports, target.Arn, targetInput(target, event));
      } catch (error) {
        failed++;
        console.error(`[local-cloud] events: rule ${rule.name} could not deliver event ${event.id} to ${target.Arn}`, error);
      }
    }
  }
  return failed;
}

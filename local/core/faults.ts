import { z } from 'zod';
import { awsBucketFor } from './aws-quotas.ts';
import { TokenBucket } from './token-bucket.ts';

/**
 * Fault injection for the emulators, so retries are exercised for real (local/README.md,
 * "Fault injection"). Spec syntax (env `GATEHOUSE_FAULTS`, or POST /_local/faults):
 *   `<service>:<Operation|*>:<setting>=<value>,...` rules joined by `;`
 * settings: `throttle=<0..1>` (share of calls refused), `latency=<ms>` (stall first),
 * `rate=<calls per second>[,burst=<n>]` (a token bucket: one for the whole API with `*`, or
 * one for that operation) or `rate=aws` (AWS's documented quotas, aws-quotas.ts), `fail=<0..1>` (share of
 * asynchronous operations that are accepted and then end FAILED: sso-admin account assignments).
 * e.g. `identitystore:*:throttle=0.2;ec2:RunInstances:latency=200;identitystore:*:rate=20`.
 */
export const FAULT_SERVICES = ['identitystore', 'sso-admin', 'ec2', 'events', 'scheduler', 'secretsmanager', 'sfn'] as const;

export const faultRuleSchema = z
  .strictObject({
    service: z.enum(FAULT_SERVICES, { error: (issue) => `unknown service "${String(issue.input)}" (use one of ${FAULT_SERVICES.join(', ')})` }),
    operation: z.string().regex(/^(\*|[A-Z][A-Za-z0-9]{1,127})$/, 'operation must be an API operation name (e.g. ListUsers) or *'),
    throttle: z.number().min(0).max(1).default(0),
    latencyMs: z.number().int().min(0).max(60_000).default(0),
    rate: z.union([z.number().gt(0).max(1_000_000), z.literal('aws')]).optional(),
    burst: z.number().int().min(1).max(1_000_000).optional(),
    fail: z.number().min(0).max(1).optional(),
  })
  .refine((rule) => rule.burst === undefined || typeof rule.rate === 'number', { message: 'burst needs a numeric rate' });
/** A rule as written by hand: defaults may be left out; the service is checked when the rule is added. */
export type FaultRuleInput = Omit<z.input<typeof faultRuleSchema>, 'service'> & { service: string };
export type FaultRule = z.output<typeof faultRuleSchema>;
/** A rule in force, with the id that removes it. */
export type ActiveFaultRule = FaultRule & { id: string };

export class FaultSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultSpecError';
  }
}

const SETTINGS: Record<string, keyof FaultRule> = { throttle: 'throttle', latency: 'latencyMs', rate: 'rate', burst: 'burst', fail: 'fail' };

export function parseFaultSpec(spec: string): FaultRule[] {
  return spec
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((part) => {
      const [service, operation, settings, ...rest] = part.split(':');
      if (!service || !operation || !settings || rest.length > 0) {
        throw new FaultSpecError(`fault rule "${part}" must look like service:operation:throttle=0.2,latency=50`);
      }
      const rule: Record<string, unknown> = { service, operation };
      for (const setting of settings.split(',')) {
        const [key = '', raw] = setting.split('=');
        const field = SETTINGS[key];
        if (!field) throw new FaultSpecError(`unknown fault setting "${key}" (use throttle, latency, rate, burst or fail)`);
        const value = key === 'rate' && raw === 'aws' ? 'aws' : Number(raw);
        if (raw === undefined || raw === '' || Number.isNaN(value)) throw new FaultSpecError(`fault setting "${setting}" needs a number${key === 'rate' ? ' or aws' : ''}`);
        rule[field] = value;
      }
      return checkRule(rule, part);
    });
}

function checkRule(rule: unknown, shown: string): FaultRule {
  const parsed = faultRuleSchema.safeParse(rule);
  if (!parsed.success) throw new FaultSpecError(`fault rule "${shown}": ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

/** The bucket-key prefix of AWS's own quotas (`rate=aws`), shared by every rule that applies them. */
const AWS_RULES = 'aws';

/** What a protocol knows of a call beyond its name. */
export interface CallShape {
  /** EC2: a Describe call with no MaxResults, NextToken, Filter or ids (AWS charges a smaller bucket). */
  unpaged?: boolean;
}

/** Decides, per call, whether to throttle and how long to stall first. */
export class FaultInjector {
  private rules: ActiveFaultRule[] = [];
  private buckets = new Map<string, TokenBucket>();
  private nextId = 1;
  /** The operations each emulator serves (declared by the protocol layer), to refuse a rule that names another. */
  private readonly served = new Map<string, ReadonlySet<string>>();
  /** Calls that were throttled, per `service:operation`: tests read it to prove faults fired. */
  readonly throttled = new Map<string, number>();
  /** Every call seen, throttled or not, per `service:operation` (the bench's "calls needed"). */
  readonly calls = new Map<string, number>();
  /** Asynchronous operations a `fail` rule made end FAILED, per `service:operation`. */
  readonly failed = new Map<string, number>();

  constructor(
    rules: FaultRuleInput[] = [],
    private readonly random: () => number = Math.random,
    private readonly now: () => number = Date.now,
  ) {
    this.set(rules);
  }

  /** Called by each emulator's protocol layer: a rule naming an operation the service does not serve is then refused. */
  declare(service: string, operations: Iterable<string>): void {
    this.served.set(service, new Set(operations));
  }

  /** Replaces every rule (and empties every rate bucket); a bad rule throws and changes nothing. */
  set(rules: FaultRuleInput[]): ActiveFaultRule[] {
    const next = this.withIds(rules);
    this.rules = next;
    this.buckets.clear();
    return next;
  }

  /** Adds rules after the ones in force, each with an id for `remove`; a bad rule throws and adds nothing. */
  add(rules: FaultRuleInput[]): ActiveFaultRule[] {
    const added = this.withIds(rules);
    this.rules.push(...added);
    return added;
  }

  private withIds(rules: FaultRuleInput[]): ActiveFaultRule[] {
    const checked = rules.map((rule) => checkRule(rule, JSON.stringify(rule)));
    for (const { service, operation } of checked) {
      const served = this.served.get(service);
      if (operation !== '*' && served && !served.has(operation)) {
        throw new FaultSpecError(`unknown operation "${operation}" of ${service} (the local cloud serves ${[...served].sort().join(', ')})`);
      }
    }
    return checked.map((rule) => ({ ...rule, id: `rule-${this.nextId++}` }));
  }

  /** Removes one rule by id; false when no rule has it. */
  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((rule) => rule.id !== id);
    for (const key of [...this.buckets.keys()]) if (key.startsWith(`${id}|`)) this.buckets.delete(key);
    if (!this.rules.some((rule) => rule.rate === 'aws')) for (const key of [...this.buckets.keys()]) if (key.startsWith(`${AWS_RULES}|`)) this.buckets.delete(key);
    return this.rules.length < before;
  }

  current(): ActiveFaultRule[] {
    return this.rules.map((rule) => ({ ...rule }));
  }

  /** Sleeps any configured latency, then answers true if this call must be throttled. */
  async shouldThrottle(service: string, operation: string, call: CallShape = {}): Promise<boolean> {
    const counted = `${service}:${operation}`;
    this.calls.set(counted, (this.calls.get(counted) ?? 0) + 1);
    const matching = this.rules.filter((rule) => rule.service === service && (rule.operation === '*' || rule.operation === operation));
    const latency = Math.max(0, ...matching.map((rule) => rule.latencyMs));
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
    const share = Math.max(0, ...matching.map((rule) => rule.throttle));
    const throttle = (share > 0 && this.random() < share) || !this.takeTokens(matching, service, operation, call);
    if (throttle) {
      const key = `${service}:${operation}`;
      this.throttled.set(key, (this.throttled.get(key) ?? 0) + 1);
    }
    return throttle;
  }

  /** Whether an accepted asynchronous operation must end FAILED (a `fail=<share>` rule); counted in `failed`. */
  shouldFail(service: string, operation: string): boolean {
    const share = Math.max(0, ...this.rules.filter((rule) => rule.service === service && (rule.operation === '*' || rule.operation === operation)).map((rule) => rule.fail ?? 0));
    const fail = share > 0 && this.random() < share;
    if (fail) this.failed.set(`${service}:${operation}`, (this.failed.get(`${service}:${operation}`) ?? 0) + 1);
    return fail;
  }

  /** One token from every bucket the rate rules charge this call; false at the first empty one. */
  private takeTokens(matching: ActiveFaultRule[], service: string, operation: string, call: CallShape): boolean {
    const now = this.now();
    for (const rule of matching) {
      if (rule.rate === undefined) continue;
      const bucket =
        rule.rate === 'aws'
          ? awsBucketFor(service, operation, call.unpaged === true)
          : { key: 'api', capacity: rule.burst ?? Math.max(1, rule.rate), refillPerSecond: rule.rate };
      if (!bucket) continue;
      // AWS's quotas are the account's, whichever rule asks for them: every `rate=aws` rule charges the same buckets.
      const key = rule.rate === 'aws' ? `${AWS_RULES}|${bucket.key}` : `${rule.id}|${bucket.key}`;
      let tokens = this.buckets.get(key);
      if (!tokens) this.buckets.set(key, (tokens = new TokenBucket(bucket.capacity, bucket.refillPerSecond, now)));
      if (!tokens.take(now)) return false;
    }
    return true;
  }
}

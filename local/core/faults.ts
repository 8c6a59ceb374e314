import { z } from 'zod';

/**
 * Fault injection for the emulators, so retries are exercised for real.
 *
 * Spec syntax (env `GATEHOUSE_FAULTS`, or POST /_local/faults on the front door):
 *   `<service>:<operation|*>:throttle=<0..1>,latency=<ms>` rules joined by `;`
 * e.g. `identitystore:*:throttle=0.2;ec2:RunInstances:latency=200`.
 * Services: identitystore, ec2, events, scheduler, secretsmanager, sfn.
 */
export const faultRuleSchema = z.object({
  service: z.string().min(1),
  operation: z.string().min(1),
  throttle: z.number().min(0).max(1).default(0),
  latencyMs: z.number().int().min(0).max(60_000).default(0),
});
export type FaultRule = z.infer<typeof faultRuleSchema>;

export class FaultSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultSpecError';
  }
}

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
        const [key, raw] = setting.split('=');
        const value = Number(raw);
        if (raw === undefined || Number.isNaN(value)) throw new FaultSpecError(`fault setting "${setting}" needs a number`);
        if (key === 'throttle') rule.throttle = value;
        else if (key === 'latency') rule.latencyMs = value;
        else throw new FaultSpecError(`unknown fault setting "${key}" (use throttle or latency)`);
      }
      const parsed = faultRuleSchema.safeParse(rule);
      if (!parsed.success) throw new FaultSpecError(`fault rule "${part}": ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      return parsed.data;
    });
}

/** Decides, per call, whether to throttle and how long to stall first. */
export class FaultInjector {
  private rules: FaultRule[] = [];
  /** Calls that were throttled, per `service:operation`: tests read it to prove faults fired. */
  readonly throttled = new Map<string, number>();

  constructor(
    rules: FaultRule[] = [],
    private readonly random: () => number = Math.random,
  ) {
    this.set(rules);
  }

  set(rules: FaultRule[]): void {
    this.rules = rules.map((rule) => faultRuleSchema.parse(rule));
  }

  current(): FaultRule[] {
    return [...this.rules];
  }

  /** Sleeps any configured latency, then answers true if this call must be throttled. */
  async shouldThrottle(service: string, operation: string): Promise<boolean> {
    const matching = this.rules.filter(
      (rule) => rule.service === service && (rule.operation === '*' || rule.operation === operation),
    );
    const latency = Math.max(0, ...matching.map((rule) => rule.latencyMs));
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
    const rate = Math.max(0, ...matching.map((rule) => rule.throttle));
    const throttle = rate > 0 && this.random() < rate;
    if (throttle) {
      const key = `${service}:${operation}`;
      this.throttled.set(key, (this.throttled.get(key) ?? 0) + 1);
    }
    return throttle;
  }
}

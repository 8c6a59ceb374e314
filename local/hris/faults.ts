import { z } from 'zod';
import type { LocalVendor } from './people.ts';

/**
 * Fault injection for the local HRIS: the next `count` API calls to a vendor fail as a
 * vendor fails. `429` carries `Retry-After: <retryAfterSeconds>`; `500` is a plain server
 * error; `timeout` holds the response for `hangMs` (longer than any client timeout).
 * Spec syntax (CLI `hris fault`, POST /_hris/faults): `<vendor>:<429|500|timeout>[:count[:retryAfter]]`
 * joined by `;`, e.g. `hibob:429:2:1;personio:timeout:1`.
 */
export const hrisFaultSchema = z.strictObject({
  vendor: z.enum(['hibob', 'bamboohr', 'personio']),
  kind: z.enum(['429', '500', 'timeout']),
  count: z.number().int().min(1).max(1000).default(1),
  retryAfterSeconds: z.number().int().min(0).max(3600).default(1),
});
export type HrisFault = z.infer<typeof hrisFaultSchema>;

export function parseHrisFaults(spec: string): HrisFault[] {
  return spec
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const [vendor, kind, count, retryAfter] = part.split(':');
      const parsed = hrisFaultSchema.safeParse({
        vendor,
        kind,
        ...(count !== undefined ? { count: Number(count) } : {}),
        ...(retryAfter !== undefined ? { retryAfterSeconds: Number(retryAfter) } : {}),
      });
      if (!parsed.success) throw new Error(`HRIS fault "${part}" must look like hibob:429:2:1 (vendor:429|500|timeout:count:retryAfterSeconds)`);
      return parsed.data;
    });
}

export class HrisFaultQueue {
  private queue: HrisFault[] = [];
  /** Faults served, per vendor and kind (`hibob:429`). */
  readonly served = new Map<string, number>();

  set(faults: HrisFault[]): void {
    this.queue = faults.map((fault) => ({ ...fault }));
  }

  /** Replaces one vendor's faults, leaving the others' alone. */
  setFor(vendor: LocalVendor, faults: HrisFault[]): void {
    this.queue = [...this.queue.filter((fault) => fault.vendor !== vendor), ...faults.filter((fault) => fault.vendor === vendor).map((fault) => ({ ...fault }))];
  }

  add(faults: HrisFault[]): void {
    this.queue.push(...faults.map((fault) => ({ ...fault })));
  }

  current(): HrisFault[] {
    return this.queue.map((fault) => ({ ...fault }));
  }

  /** The fault this call to `vendor` must suffer, if any (consumes one). */
  take(vendor: LocalVendor): HrisFault | undefined {
    const fault = this.queue.find((candidate) => candidate.vendor === vendor);
    if (fault === undefined) return undefined;
    fault.count -= 1;
    if (fault.count <= 0) this.queue = this.queue.filter((candidate) => candidate !== fault);
    const key = `${vendor}:${fault.kind}`;
    this.served.set(key, (this.served.get(key) ?? 0) + 1);
    return fault;
  }
}

import { z } from 'zod';
import type { HttpResponse, RequestHandler } from '../core/http.ts';
import { parseHrisFaults } from './faults.ts';
import { LOCAL_VENDORS, localPersonSchema, type LocalPerson, type LocalVendor } from './people.ts';
import type { LocalHris } from './server.ts';
import type { PeopleStore } from './people.ts';
import { deliver, vendorWebhook, type HrAction } from './webhooks.ts';

/**
 * The local HRIS's own routes (what HR does in the vendor's UI), on the HRIS port:
 *   GET  /_hris/people[/<vendor>]   everyone, as stored
 *   POST /_hris/people/<vendor>     { action: "add", person } | { action: "change", id, changes }
 *                                   | { action: "terminate", id, date? }: updates the person and
 *                                   sends the vendor's signed webhook to the front door
 *   GET|POST /_hris/faults          the API faults in force | a spec (`hibob:429:2:1`), empty clears
 */
export interface HrisControlDeps {
  hris: LocalHris;
  people: PeopleStore;
  frontDoorUrl: string;
  secretFor(vendor: LocalVendor): Promise<string>;
  now?: () => Date;
}

const json = (status: number, body: unknown): HttpResponse => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body, null, 2) });

const actionSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('add'), person: z.unknown() }),
  z.strictObject({ action: z.literal('change'), id: z.string().min(1), changes: z.record(z.string(), z.unknown()) }),
  z.strictObject({ action: z.literal('terminate'), id: z.string().min(1), date: z.iso.date().optional() }),
]);

export function hrisControl(deps: HrisControlDeps): RequestHandler {
  const now = deps.now ?? (() => new Date());
  const apply = async (vendor: LocalVendor, body: unknown): Promise<HttpResponse> => {
    const parsed = actionSchema.safeParse(body);
    if (!parsed.success) return json(400, { message: `body: ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? 'invalid'}`.trim() });
    const input = parsed.data;
    let person: LocalPerson;
    let action: HrAction;
    let changed: (keyof LocalPerson)[] = [];
    if (input.action === 'add') {
      const candidate = localPersonSchema.safeParse(input.person);
      if (!candidate.success) return json(400, { message: `person.${candidate.error.issues[0]?.path.join('.') ?? ''}: ${candidate.error.issues[0]?.message ?? 'invalid'}` });
      if (deps.people.get(vendor, candidate.data.id)) return json(409, { message: `${vendor} already has person ${candidate.data.id}` });
      person = deps.people.put(vendor, candidate.data);
      action = 'hire';
    } else {
      const existing = deps.people.get(vendor, input.id);
      if (!existing) return json(404, { message: `${vendor} has no person ${input.id}` });
      if (input.action === 'change') {
        const next = localPersonSchema.safeParse({ ...existing, ...input.changes, id: existing.id });
        if (!next.success) return json(400, { message: `changes.${next.error.issues[0]?.path.join('.') ?? ''}: ${next.error.issues[0]?.message ?? 'invalid'}` });
        changed = (Object.keys(input.changes) as (keyof LocalPerson)[]).filter((key) => JSON.stringify(existing[key]) !== JSON.stringify(next.data[key]));
        person = deps.people.put(vendor, next.data);
        action = 'change';
      } else {
        person = deps.people.put(vendor, { ...existing, status: 'terminated', terminationDate: input.date ?? now().toISOString().slice(0, 10) });
        action = 'terminate';
      }
    }
    const delivery = vendorWebhook({ vendor, action, person, changed, secret: await deps.secretFor(vendor), now: now() });
    const webhook = await deliver(deps.frontDoorUrl, delivery);
    return json(200, { person, webhook: { source: delivery.source, status: webhook.status, body: webhook.body } });
  };

  return async (req) => {
    if (req.path === '/_hris/faults') {
      if (req.method === 'GET') return json(200, { faults: deps.hris.faults.current(), served: Object.fromEntries(deps.hris.faults.served) });
      try {
        deps.hris.faults.set(parseHrisFaults(req.body.toString('utf8')));
        return json(200, { faults: deps.hris.faults.current() });
      } catch (error) {
        return json(400, { message: error instanceof Error ? error.message : 'invalid' });
      }
    }
    if (req.path === '/_hris/people' && req.method === 'GET') {
      return json(200, Object.fromEntries(LOCAL_VENDORS.map((vendor) => [vendor, deps.people.list(vendor)])));
    }
    const match = /^\/_hris\/people\/([a-z]+)$/.exec(req.path);
    const vendor = LOCAL_VENDORS.find((candidate) => candidate === match?.[1]);
    if (match && vendor === undefined) return json(404, { message: `no vendor ${match[1]}; expected one of ${LOCAL_VENDORS.join(', ')}` });
    if (vendor && req.method === 'GET') return json(200, deps.people.list(vendor));
    if (vendor && req.method === 'POST') {
      let body: unknown;
      try {
        body = JSON.parse(req.body.toString('utf8'));
      } catch {
        return json(400, { message: 'body: not JSON' });
      }
      return apply(vendor, body);
    }
    return deps.hris.handler(req);
  };
}

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

/**
 * The local HRIS's people, in one neutral shape; each vendor's API renders them its own
 * way (vendors.ts). Seeded from `events/hris/directory.seed.json`; with a state file,
 * changes made through the CLI survive a restart of the local cloud.
 */
export const LOCAL_VENDORS = ['hibob', 'bamboohr', 'personio'] as const;
export type LocalVendor = (typeof LOCAL_VENDORS)[number];

export const localPersonSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/),
  email: z.email(),
  firstName: z.string().min(1),
  lastName: z.string().min(1),
  title: z.string().min(1),
  /** The vendor's custom field holding a catalogue role id (work.custom.gatehouseRole, customGatehouseRole, "Gatehouse Role"). */
  gatehouseRole: z.string().optional(),
  department: z.string().optional(),
  managerId: z.string().optional(),
  managerEmail: z.email().optional(),
  employmentType: z.enum(['employee', 'contractor']),
  startDate: z.iso.date(),
  endDate: z.iso.date().optional(),
  status: z.enum(['active', 'terminated']).default('active'),
  terminationDate: z.iso.date().optional(),
});
export type LocalPerson = z.infer<typeof localPersonSchema>;

export const seedSchema = z.partialRecord(z.enum(LOCAL_VENDORS), z.array(localPersonSchema));
export type LocalSeed = z.infer<typeof seedSchema>;

export class PeopleStore {
  private readonly people = new Map<LocalVendor, Map<string, LocalPerson>>();

  constructor(
    seed: LocalSeed,
    private readonly stateFile?: string,
  ) {
    const initial = stateFile && existsSync(stateFile) ? seedSchema.parse(JSON.parse(readFileSync(stateFile, 'utf8'))) : seed;
    for (const vendor of LOCAL_VENDORS) this.people.set(vendor, new Map((initial[vendor] ?? []).map((person) => [person.id, person])));
  }

  static seedFromFile(file: string): LocalSeed {
    return seedSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  }

  private of(vendor: LocalVendor): Map<string, LocalPerson> {
    return this.people.get(vendor) ?? new Map<string, LocalPerson>();
  }

  list(vendor: LocalVendor): LocalPerson[] {
    return [...this.of(vendor).values()];
  }

  get(vendor: LocalVendor, id: string): LocalPerson | undefined {
    return this.of(vendor).get(id);
  }

  /** Adds or replaces a person (validated); returns what is stored. */
  put(vendor: LocalVendor, person: unknown): LocalPerson {
    const parsed = localPersonSchema.parse(person);
    this.of(vendor).set(parsed.id, parsed);
    this.save();
    return parsed;
  }

  private save(): void {
    if (!this.stateFile) return;
    mkdirSync(dirname(this.stateFile), { recursive: true });
    const snapshot = Object.fromEntries(LOCAL_VENDORS.map((vendor) => [vendor, this.list(vendor)]));
    writeFileSync(this.stateFile, JSON.stringify(snapshot, null, 2));
  }
}

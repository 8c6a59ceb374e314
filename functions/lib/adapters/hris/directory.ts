import type { HrisSource } from '#lib/domain/events/employee-events';
import type { DirectoryEmployee, EmployeeDirectoryPort } from '#lib/domain/hris/types';
import { BamboohrClient } from './bamboohr.ts';
import type { CredentialSource } from './credentials.ts';
import { HibobClient } from './hibob.ts';
import type { HrisVendor, VendorHttpOptions } from './http.ts';
import { PersonioClient } from './personio.ts';
import type { VendorDirectoryClient } from './vendor-client.ts';

const VENDORS: ReadonlySet<string> = new Set<HrisVendor>(['hibob', 'bamboohr', 'personio']);

/** A client for one vendor from its credentials. */
export async function vendorClient(vendor: HrisVendor, credentials: CredentialSource, options: Partial<VendorHttpOptions> = {}): Promise<VendorDirectoryClient> {
  switch (vendor) {
    case 'hibob':
      return new HibobClient(await credentials('hibob'), options);
    case 'bamboohr':
      return new BamboohrClient(await credentials('bamboohr'), options);
    case 'personio':
      return new PersonioClient(await credentials('personio'), options);
  }
}

/**
 * The directory port over the vendors' REST APIs: the record for a thin payload comes
 * from the vendor that sent it. One client per vendor per container (so the concurrency
 * cap and Personio's token cache are shared by every call), rebuilt when its credentials
 * change. The generic source posts whole records and never asks.
 */
export function vendorDirectory(credentials: CredentialSource, options: Partial<VendorHttpOptions> = {}): EmployeeDirectoryPort {
  const clients = new Map<HrisVendor, { key: string; client: VendorDirectoryClient }>();
  return {
    async getEmployee(source: HrisSource, employeeId: string): Promise<DirectoryEmployee | undefined> {
      if (!VENDORS.has(source)) return undefined;
      const vendor = source as HrisVendor;
      const key = JSON.stringify(await credentials(vendor));
      let entry = clients.get(vendor);
      if (entry?.key !== key) {
        entry = { key, client: await vendorClient(vendor, credentials, options) };
        clients.set(vendor, entry);
      }
      return entry.client.getEmployee(employeeId);
    },
  };
}

import { secretsManagerCredentials } from '#lib/adapters/hris/credentials';
import { vendorDirectory } from '#lib/adapters/hris/directory';
import type { VendorHttpOptions } from '#lib/adapters/hris/http';
import type { EmployeeDirectoryPort } from '#lib/domain/hris/types';

/**
 * The HRIS directory the adapters consult for thin payloads: each vendor's REST API, with
 * credentials from Secrets Manager (`<prefix><vendor>/api`, docs/hris.md). On the local
 * cloud those credentials point at the local HRIS, so the same clients run in both places.
 * The budget fits a webhook's acknowledgement window (Personio waits 3 s): a vendor that
 * stays slow or throttled makes this delivery a 503, and the vendor redelivers later.
 */
export const WEBHOOK_HRIS_BUDGET: Partial<VendorHttpOptions> = { timeoutMs: 1000, maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000, concurrency: 4 };

export function directoryFromConfig(secretPrefix: string, options: Partial<VendorHttpOptions> = WEBHOOK_HRIS_BUDGET): EmployeeDirectoryPort {
  return vendorDirectory(secretsManagerCredentials(secretPrefix), options);
}

import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { z } from 'zod';
import { ConfigError } from '#lib/domain/shared/errors';
import { callAws } from '../aws/call-aws.ts';
import type { BamboohrCredentials } from './bamboohr.ts';
import type { HibobCredentials } from './hibob.ts';
import type { HrisVendor } from './http.ts';
import type { PersonioCredentials } from './personio.ts';

/**
 * Vendor API credentials live in Secrets Manager next to the webhook signing secrets:
 * `<prefix><vendor>/api` (e.g. `gatehouse/hris/hibob/api`), a JSON object per vendor.
 * `baseUrl` is optional and only set locally (the local HRIS) or for a vendor's regional host.
 */
const baseUrl = z.url({ protocol: /^https?$/ }).optional();
export const credentialSchemas = {
  hibob: z.strictObject({ serviceUserId: z.string().min(1), token: z.string().min(1), baseUrl }),
  bamboohr: z.strictObject({ companyDomain: z.string().regex(/^[A-Za-z0-9-]{1,63}$/, 'companyDomain must be the BambooHR subdomain'), apiKey: z.string().min(1), baseUrl }),
  personio: z.strictObject({ clientId: z.string().min(1), clientSecret: z.string().min(1), baseUrl }),
} satisfies Record<HrisVendor, z.ZodType>;

export interface CredentialsByVendor {
  hibob: HibobCredentials;
  bamboohr: BamboohrCredentials;
  personio: PersonioCredentials;
}

export const apiSecretName = (prefix: string, vendor: HrisVendor): string => `${prefix}${vendor}/api`;

/** Checks a secret's value; the error names the secret and the field, never a value. */
export function parseCredentials<V extends HrisVendor>(vendor: V, value: unknown, name: string): CredentialsByVendor[V] {
  let json = value;
  if (typeof value === 'string') {
    try {
      json = JSON.parse(value);
    } catch (cause) {
      throw new ConfigError(`${name}: not a JSON object`, { cause });
    }
  }
  const parsed = credentialSchemas[vendor].safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.code === 'unrecognized_keys' ? issue.keys[0] : issue?.path.join('.');
    throw new ConfigError(`${name}: ${field ?? 'value'} ${issue?.code === 'unrecognized_keys' ? 'is not a known field' : 'is missing or invalid'}`, { cause: parsed.error });
  }
  return parsed.data as CredentialsByVendor[V];
}

export type CredentialSource = <V extends HrisVendor>(vendor: V) => Promise<CredentialsByVendor[V]>;

/** Cached per container for 5 minutes, like the signing secrets (a rotation reaches every container within that). */
export function secretsManagerCredentials(prefix: string): CredentialSource {
  return async (vendor) => {
    const name = apiSecretName(prefix, vendor);
    return parseCredentials(vendor, await callAws('reading the HRIS credentials', () => getSecret(name, { maxAge: 300 })), name);
  };
}

import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { ConfigError } from '#lib/domain/shared/errors';
import type { SigningSecrets } from '../../domain/ingest/accept-webhook.ts';

/** Signing secrets live in Secrets Manager as `<prefix><source>`, cached per container for 5 minutes. */
export function secretsManagerSigningSecrets(prefix: string): SigningSecrets {
  return {
    async secretFor(source) {
      const value = await getSecret(`${prefix}${source}`, { maxAge: 300 });
      if (typeof value !== 'string' || value.length === 0) throw new ConfigError(`signing secret for ${source} is empty`);
      return value;
    },
  };
}

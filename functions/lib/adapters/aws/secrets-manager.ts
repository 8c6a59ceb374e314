import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { ConfigError } from '#lib/domain/shared/errors';
import { callAws } from './call-aws.ts';
import type { SigningSecrets } from '../../domain/ingest/accept-webhook.ts';

/** Signing secrets live in Secrets Manager as `<prefix><source>`, cached per container for 5 minutes. */
export function secretsManagerSigningSecrets(prefix: string): SigningSecrets {
  return {
    async secretFor(source) {
      // Powertools makes the GetSecretValue call; a throttle there is transient like any other.
      const value = await callAws('reading a signing secret', () => getSecret(`${prefix}${source}`, { maxAge: 300 }));
      if (typeof value !== 'string' || value.length === 0) throw new ConfigError(`signing secret for ${source} is empty`);
      return value;
    },
  };
}

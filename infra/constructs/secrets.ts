import { RemovalPolicy } from 'aws-cdk-lib';
import { Secret, type ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { hrisSourceSchema, type HrisSource } from '../../functions/lib/domain/events/employee-events.ts';
import { acknowledge } from './nag.ts';
import { pascal } from './names.ts';

/** Where hris-webhook looks up each source's signing secret: `<prefix><source>`. */
export const HRIS_SECRET_PREFIX = 'gatehouse/hris/';

/**
 * One signing secret per HRIS source, `gatehouse/hris/<source>`, created with a random
 * value. For the generic sender that value is the key to configure on the sender; BambooHR
 * and HiBob show their own key when a webhook is created, which the operator copies in
 * (docs/deploy.md).
 */
export class HrisSecrets extends Construct {
  readonly secrets: Record<HrisSource, ISecret>;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const entries = hrisSourceSchema.options.map((source): [HrisSource, ISecret] => {
      const secret = new Secret(this, pascal(source), {
        secretName: `${HRIS_SECRET_PREFIX}${source}`,
        description: `Gatehouse: webhook signing key for HRIS source '${source}'`,
        generateSecretString: { passwordLength: 48, excludePunctuation: true },
        // Deleted with the stack after Secrets Manager's 30-day recovery window (restorable until then).
        removalPolicy: RemovalPolicy.DESTROY,
      });
      acknowledge(secret, 'AwsSolutions-SMG4', 'A webhook signing key is shared with the HRIS vendor; it is rotated by hand together with the webhook configuration on the vendor side (docs/deploy.md), automatic rotation would break signature checks.');
      return [source, secret];
    });
    this.secrets = Object.fromEntries(entries) as Record<HrisSource, ISecret>;
  }

  get arns(): string[] {
    return Object.values(this.secrets).map((secret) => secret.secretArn);
  }
}

import { RemovalPolicy } from 'aws-cdk-lib';
import { Secret, type ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { hrisSourceSchema, type HrisSource } from '../../functions/lib/domain/events/employee-events.ts';
import { acknowledge } from './nag.ts';
import { pascal } from './names.ts';
import { SLACK_SECRET_NAME } from '../spec/wiring.ts';

/** Where hris-webhook looks up each source's signing secret: `<prefix><source>`. */
export const HRIS_SECRET_PREFIX = 'gatehouse/hris/';
/** Vendors whose thin payloads are answered from their REST API (`gatehouse/hris/<vendor>/api`). */
export const HRIS_API_VENDORS = ['hibob', 'bamboohr', 'personio'] as const;

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
    // Vendor REST API credentials for thin payloads (docs/hris.md): created empty of real values; the operator
    // puts the vendor's JSON in (`aws secretsmanager put-secret-value`), read by functions/lib/adapters/hris/credentials.ts.
    this.apiSecrets = HRIS_API_VENDORS.map((vendor) => {
      const secret = new Secret(this, `${pascal(vendor)}Api`, {
        secretName: `${HRIS_SECRET_PREFIX}${vendor}/api`,
        description: `Gatehouse: ${vendor} REST API credentials (JSON, docs/hris.md); replace the placeholder`,
        generateSecretString: { secretStringTemplate: '{"placeholder":true}', generateStringKey: 'unused', excludePunctuation: true },
        removalPolicy: RemovalPolicy.DESTROY,
      });
      acknowledge(secret, 'AwsSolutions-SMG4', 'Vendor API credentials are issued by the HRIS vendor (service user token, API key, client secret) and rotated there, then copied in (docs/hris.md); Secrets Manager cannot rotate them.');
      return secret;
    });
  }

  readonly apiSecrets: ISecret[];

  get arns(): string[] {
    return [...Object.values(this.secrets), ...this.apiSecrets].map((secret) => secret.secretArn);
  }
}

/**
 * The Slack app's bot token, signing secret and notification channel as one JSON secret,
 * created disabled (`{"enabled":false,...}`); the operator puts the app's values in with
 * `aws secretsmanager put-secret-value` (docs/slack.md). Until then Slack is not used.
 */
export class SlackSecret extends Construct {
  readonly secret: ISecret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const secret = new Secret(this, 'App', {
      secretName: SLACK_SECRET_NAME,
      description: 'Gatehouse: Slack app bot token, signing secret and channel (JSON, docs/slack.md); Slack stays off until set',
      generateSecretString: { secretStringTemplate: '{"enabled":false}', generateStringKey: 'unused', excludePunctuation: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    acknowledge(secret, 'AwsSolutions-SMG4', 'The bot token and signing secret are issued by Slack and rotated in the Slack app settings, then copied in (docs/slack.md); Secrets Manager cannot rotate them.');
    this.secret = secret;
  }
}

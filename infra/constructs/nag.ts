import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** The cdk-nag pack the app runs; its findings are acknowledged as `<pack>::<rule>[<finding>]`. */
export const NAG_PACK = 'AwsSolutions';

/**
 * Acknowledges a cdk-nag finding on one construct (and its children), with the reason a
 * reviewer reads. `rule` is the rule id, optionally with a finding: `AwsSolutions-IAM5[Resource::*]`.
 */
export function acknowledge(scope: IConstruct, rule: string, reason: string): void {
  if (reason.trim().length < 40) throw new Error(`acknowledgement of ${rule} on ${scope.node.path} needs a real reason`);
  Validations.of(scope).acknowledge({ id: `${NAG_PACK}::${rule}`, reason });
}

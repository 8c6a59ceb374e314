import { ArnFormat, type Stack } from 'aws-cdk-lib';

/**
 * Deterministic physical names for what must be addressable before it exists. State
 * machines are named `gatehouse-<name>` (as on the local cloud), so a function's env, an
 * IAM policy or a schedule can carry a machine's ARN without a CloudFormation reference:
 * no dependency cycles, and a machine that is added later (leaver, mover) already has
 * its ARN. The price: one Gatehouse stack per account and region.
 */
export const PHYSICAL_PREFIX = 'gatehouse';

export const stateMachineName = (name: string): string => `${PHYSICAL_PREFIX}-${name}`;

export const stateMachineArn = (stack: Stack, name: string): string =>
  stack.formatArn({ service: 'states', resource: 'stateMachine', resourceName: stateMachineName(name), arnFormat: ArnFormat.COLON_RESOURCE_NAME });

/** Every execution of one state machine (execution names are HRIS delivery ids). */
export const executionArnPattern = (stack: Stack, name: string): string =>
  stack.formatArn({ service: 'states', resource: 'execution', resourceName: `${stateMachineName(name)}:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });

/** `prepare-join` -> `PrepareJoin` (construct ids, substitution keys). */
export const pascal = (kebab: string): string => kebab.replace(/(^|-)([a-z0-9])/g, (_m, _dash: string, c: string) => c.toUpperCase());

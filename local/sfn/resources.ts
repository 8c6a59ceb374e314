import { isSdkService, type SdkServiceId } from './sdk-integrations.ts';

/** How a child execution is waited for (https://docs.aws.amazon.com/step-functions/latest/dg/connect-stepfunctions.html). */
export type StartPattern = 'fire' | 'sync' | 'sync2';

/** What a Task state's Resource asks for. */
export type Integration =
  | { kind: 'lambda-invoke' }
  | { kind: 'lambda-function'; functionArn: string }
  | { kind: 'dynamodb'; action: string }
  | { kind: 'aws-sdk'; service: SdkServiceId; action: string }
  | { kind: 'events-put' }
  | { kind: 'states-start'; pattern: StartPattern };

export interface ParsedResource {
  integration: Integration;
  /** `.waitForTaskToken`: park until SendTaskSuccess / SendTaskFailure. */
  callback: boolean;
}

const LAMBDA_ARN = /^arn:aws:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9$_-]+)?$/;
const DYNAMODB_ACTIONS = new Set(['putItem', 'getItem', 'updateItem', 'deleteItem', 'query']);
const OPTIMIZED_PREFIX = 'arn:aws:states:::';
const SUFFIXES = ['.waitForTaskToken', '.sync:2', '.sync'] as const;

export const SUPPORTED_RESOURCES = [
  'arn:aws:states:::lambda:invoke[.waitForTaskToken]',
  'a Lambda function ARN',
  `arn:aws:states:::dynamodb:{${[...DYNAMODB_ACTIONS].join(',')}}`,
  'arn:aws:states:::aws-sdk:{sfn,scheduler,identitystore,ec2,dynamodb,eventbridge,sesv2,secretsmanager}:<action>',
  'arn:aws:states:::events:putEvents[.waitForTaskToken]',
  'arn:aws:states:::states:startExecution[.sync|.sync:2|.waitForTaskToken]',
].join('; ');

/** The integration for a Resource, or a sentence saying why the local cloud cannot run it. */
export function parseResource(resource: string): ParsedResource | string {
  if (LAMBDA_ARN.test(resource)) return { integration: { kind: 'lambda-function', functionArn: resource }, callback: false };
  if (!resource.startsWith(OPTIMIZED_PREFIX)) return `Resource "${resource}" is neither a Lambda function ARN nor a service integration`;
  const suffix = SUFFIXES.find((s) => resource.endsWith(s));
  const callback = suffix === '.waitForTaskToken';
  const path = resource.slice(OPTIMIZED_PREFIX.length, suffix ? -suffix.length : undefined);
  const [service = '', first = '', second, ...rest] = path.split(':');
  const unsupported = `Resource "${resource}" is not supported by the local Step Functions emulator`;
  if (rest.length > 0) return `Resource "${resource}" has too many parts`;
  if (service === 'states' && first === 'startExecution' && second === undefined) {
    const pattern: StartPattern = suffix === '.sync' ? 'sync' : suffix === '.sync:2' ? 'sync2' : 'fire';
    return { integration: { kind: 'states-start', pattern }, callback };
  }
  if (suffix !== undefined && !callback) return unsupported;
  if (service === 'lambda' && first === 'invoke' && second === undefined) return { integration: { kind: 'lambda-invoke' }, callback };
  if (service === 'events' && first === 'putEvents' && second === undefined) return { integration: { kind: 'events-put' }, callback };
  if (!callback && service === 'dynamodb' && DYNAMODB_ACTIONS.has(first) && second === undefined) {
    return { integration: { kind: 'dynamodb', action: first }, callback };
  }
  if (!callback && service === 'aws-sdk' && isSdkService(first) && second && /^[a-z][A-Za-z0-9]*$/.test(second)) {
    return { integration: { kind: 'aws-sdk', service: first, action: second }, callback };
  }
  return unsupported;
}

/**
 * The port through which EventBridge rules and Scheduler schedules reach their targets.
 * The local cloud implements it with the in-process Lambda handlers and the Step
 * Functions emulator; tests pass a fake that records calls.
 */
export interface TargetPorts {
  /** Asynchronous Lambda invoke (fire and forget semantics; errors are logged by the caller). */
  invokeFunction(functionArn: string, payload: unknown): Promise<void>;
  /** Step Functions StartExecution; ExecutionAlreadyExists must count as delivered. */
  startExecution(stateMachineArn: string, input: string, name?: string): Promise<void>;
}

export class UnsupportedTargetError extends Error {
  constructor(readonly arn: string) {
    super(`target ${arn} is neither a Lambda function nor a state machine; the local cloud cannot deliver to it`);
    this.name = 'UnsupportedTargetError';
  }
}

export type TargetKind = 'lambda' | 'stateMachine';

/** What an ARN points at, or undefined for targets the local cloud does not deliver to. */
export function targetKind(arn: string): TargetKind | undefined {
  const [prefix, partition, service, , , resourceType] = arn.split(':');
  if (prefix !== 'arn' || !partition) return undefined;
  if (service === 'lambda' && resourceType === 'function') return 'lambda';
  if (service === 'states' && resourceType === 'stateMachine') return 'stateMachine';
  return undefined;
}

/**
 * Delivers one JSON document to a target: a Lambda function gets it parsed (as Lambda
 * would), a state machine gets it as the execution input text.
 */
export async function deliverToTarget(ports: TargetPorts, arn: string, inputJson: string): Promise<void> {
  const kind = targetKind(arn);
  if (kind === 'lambda') {
    let payload: unknown;
    try {
      payload = JSON.parse(inputJson);
    } catch {
      payload = inputJson;
    }
    await ports.invokeFunction(arn, payload);
  } else if (kind === 'stateMachine') {
    await ports.startExecution(arn, inputJson);
  } else {
    throw new UnsupportedTargetError(arn);
  }
}

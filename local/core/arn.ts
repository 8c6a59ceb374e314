/** The fake account and region the local cloud lives in. */
export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_REGION = 'us-east-1';

/** Lambda functions are named `gatehouse-<folder>` where `<folder>` is their folder in `functions/`. */
export const functionArn = (folder: string): string =>
  `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:gatehouse-${folder}`;

/** The function folder an ARN (or bare function name) refers to, or undefined if not ours. */
export function functionFolderFromArn(arnOrName: string): string | undefined {
  const name = arnOrName.startsWith('arn:') ? arnOrName.split(':')[6] : arnOrName;
  return name?.startsWith('gatehouse-') ? name.slice('gatehouse-'.length) : undefined;
}

export const stateMachineArn = (name: string): string =>
  `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:gatehouse-${name}`;

export const executionArn = (stateMachine: string, executionName: string): string =>
  `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:execution:gatehouse-${stateMachine}:${executionName}`;

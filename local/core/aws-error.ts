/**
 * An error an emulated AWS operation answers with. `code` is AWS's own error code
 * (it becomes `__type`, `x-amzn-errortype` or `<Code>`), so the SDK raises its typed
 * exception class. `extra` carries service-specific members (e.g. Identity Store's
 * `ResourceType` / `Reason`).
 */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = code;
  }
}

export const validationError = (message: string): AwsError =>
  new AwsError('ValidationException', message);

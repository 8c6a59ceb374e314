import type { Context } from 'aws-lambda';
import { lambdaContext, overTheWire } from '../../local/lambda-runtime.ts';

/** One Lambda invocation as Lambda and Step Functions make it: JSON in, JSON out, a fresh context with a minute to run. */
export async function invoke<R>(handler: (event: unknown, context: Context) => Promise<R>, event: unknown): Promise<R> {
  return overTheWire(await handler(overTheWire(event), lambdaContext('test', 60_000))) as R;
}

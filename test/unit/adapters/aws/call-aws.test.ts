import { ConflictException, ThrottlingException } from '@aws-sdk/client-identitystore';
import { describe, expect, it } from 'vitest';
import { TransientError } from '#lib/domain/shared/errors';
import { asTransient, callAws } from '#lib/adapters/aws/call-aws';
import { isTransientAwsError } from '#lib/domain/shared/transient';
import { GroupNotFoundError, VolumePendingError, WorkstationFailedError, WorkstationPendingError } from '#lib/domain/provision/errors';
import { ec2Error } from '../../provision/factories.ts';

const networkError = (code: string): Error => Object.assign(new Error(`socket ${code}`), { code });

describe('asTransient', () => {
  it.each([
    ['ThrottlingException', new ThrottlingException({ message: 'slow down', $metadata: {} })],
    ['RequestLimitExceeded', ec2Error('RequestLimitExceeded', 503)],
    ['InternalServerException', ec2Error('InternalServerException', 500)],
    ['ServiceUnavailable', ec2Error('ServiceUnavailable', 503)],
    ['an unnamed 502', ec2Error('Whatever', 502)],
    ['a reset connection', networkError('ECONNRESET')],
  ])('turns %s into TransientError keeping the cause', (_what, error) => {
    const mapped = asTransient(error, 'DoThing');

    expect(isTransientAwsError(error)).toBe(true);
    expect(mapped).toBeInstanceOf(TransientError);
    expect(mapped).toMatchObject({ name: 'TransientError', retryable: true, cause: error });
  });

  it.each([
    ['ConflictException', new ConflictException({ message: 'exists', $metadata: { httpStatusCode: 400 } })],
    ['InvalidVolume.NotFound', ec2Error('InvalidVolume.NotFound')],
    ['a plain Error', new Error('bug')],
    ['a string', 'not an error'],
  ])('leaves %s unchanged', (_what, error) => {
    expect(asTransient(error, 'DoThing')).toBe(error);
  });

  it('passes results through and rethrows mapped failures', async () => {
    await expect(callAws('Ok', () => Promise.resolve(42))).resolves.toBe(42);
    await expect(callAws('Throttled', () => Promise.reject(ec2Error('RequestLimitExceeded', 503)))).rejects.toMatchObject({
      name: 'TransientError',
      message: expect.stringContaining('Throttled'),
    });
  });
});

describe('provisioning errors', () => {
  it.each([
    [new GroupNotFoundError(['Engineering']), 'GroupNotFoundError', false],
    [new WorkstationPendingError('pending'), 'WorkstationPendingError', true],
    [new WorkstationFailedError('stopped'), 'WorkstationFailedError', false],
    [new VolumePendingError('creating'), 'VolumePendingError', true],
  ])('%s carries the name the ASL matches on and says whether to retry', (error, name, retryable) => {
    expect(error.name).toBe(name);
    expect(error.retryable).toBe(retryable);
  });

  it('names the missing group and says admins create groups', () => {
    expect(new GroupNotFoundError(['Engineering', 'ProdReadOnly']).message).toMatch(/Engineering, ProdReadOnly.*administrators/);
  });
});

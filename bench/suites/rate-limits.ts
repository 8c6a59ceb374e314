import { CreateUserCommand, IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { FaultInjector, parseFaultSpec } from '../../local/core/faults.ts';
import { startHttpServer } from '../../local/core/http.ts';
import { createIdentityStoreEmulator } from '../../local/emulators/identitystore.ts';
import { time } from '../lib/stats.ts';
import type { Row, Suite, SuiteContext } from '../lib/suite.ts';

const SUITE = 'rate-limits';
const STORE = 'd-1234567890';
/** Identity Store's documented quota, one bucket across the API (local/core/aws-quotas.ts). */
const RATE = 20;

/**
 * N CreateUser calls from `workers` concurrent callers through the SDK's default (standard) retry
 * strategy, against the Identity Store emulator under `identitystore:*:rate=aws`: wall time next
 * to the floor the quota sets (a full bucket of 20, then 20 per second), the throttled calls the
 * SDK retried, and the calls that failed for good (the SDK's retry quota can run dry).
 */
async function run(ctx: SuiteContext): Promise<Row[]> {
  const calls = ctx.size(400, 60);
  const workers = 10;
  const faults = new FaultInjector(parseFaultSpec('identitystore:*:rate=aws'));
  const server = await startHttpServer(0, createIdentityStoreEmulator({ faults }, { identityStoreIds: [STORE] }).handler);
  ctx.defer(() => server.close());
  const client = new IdentitystoreClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  ctx.defer(() => client.destroy());

  let next = 0;
  let failed = 0;
  const worker = async () => {
    while (next < calls) {
      const i = next++;
      await client
        .send(new CreateUserCommand({ IdentityStoreId: STORE, UserName: `rate-${i}`, DisplayName: `R ${i}`, Name: { GivenName: 'R', FamilyName: `${i}` } }))
        .catch(() => (failed += 1));
    }
  };
  const wall = await time(() => Promise.all(Array.from({ length: workers }, worker)));
  const floor = (Math.max(0, calls - RATE) / RATE) * 1000;
  const throttled = faults.throttled.get('identitystore:CreateUser') ?? 0;
  const metric = (name: string) => `${calls} CreateUser, ${workers} callers, rate=aws (20/s): ${name}`;
  return [
    { suite: SUITE, metric: metric('wall'), value: wall, unit: 'ms', n: 1 },
    { suite: SUITE, metric: metric('floor (calls beyond the burst / 20 per s)'), value: floor, unit: 'ms', n: 1 },
    { suite: SUITE, metric: metric('wall / floor'), value: floor > 0 ? wall / floor : 0, unit: 'x', n: 1 },
    { suite: SUITE, metric: metric('throttled calls retried by the SDK'), value: throttled, unit: 'calls', n: 1 },
    { suite: SUITE, metric: metric('calls failed for good'), value: failed, unit: 'calls', n: 1 },
  ];
}

export const rateLimitsSuite: Suite = { name: SUITE, run };

import { setTimeout as sleep } from 'node:timers/promises';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { functionArn, stateMachineArn } from '../../local/core/arn.ts';
import { FaultInjector } from '../../local/core/faults.ts';
import { startHttpServer } from '../../local/core/http.ts';
import { createSfnEmulator } from '../../local/sfn/index.ts';
import { sample, time } from '../lib/stats.ts';
import { latencyRows, type Row, type Suite, type SuiteContext } from '../lib/suite.ts';

const SUITE = 'sfn';
const MACHINE = 'bench-trivial';
const POLL_MS = 5;
const DEADLINE_MS = 10_000;
const CONCURRENCY = 20;

/** A Pass state, then a Task that invokes an in-process no-op function. */
const definition = JSON.stringify({
  Comment: 'Benchmark: the smallest machine shaped like ours',
  StartAt: 'Shape Input',
  States: {
    'Shape Input': { Type: 'Pass', Result: { requestId: 'bench' }, Next: 'Call No-op Function' },
    'Call No-op Function': {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: functionArn('bench-noop'), 'Payload.$': '$' },
      OutputPath: '$.Payload',
      End: true,
    },
  },
});

interface Served {
  client: SFNClient;
  /** StartExecution, then DescribeExecution every POLL_MS until SUCCEEDED. */
  runToSuccess: () => Promise<void>;
}

/** Serves a fresh emulator (its own compiled-machine cache) on a free port until the suite ends. */
async function serve(ctx: SuiteContext, stateDir: string | undefined): Promise<Served> {
  const emulator = createSfnEmulator(
    { ...(stateDir ? { stateDir } : {}), faults: new FaultInjector() },
    { machines: { [MACHINE]: definition }, invokeFunction: () => Promise.resolve({ ok: true }) },
  );
  const server = await startHttpServer(0, emulator.handler);
  ctx.defer(async () => {
    await emulator.stop?.();
    await server.close();
  });
  await emulator.ready();
  const client = new SFNClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  ctx.defer(() => client.destroy());
  const stateMachineArnValue = stateMachineArn(MACHINE);

  const runToSuccess = async (): Promise<void> => {
    const started = performance.now();
    const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn: stateMachineArnValue, input: '{}' }));
    for (;;) {
      const { status, error, cause } = await client.send(new DescribeExecutionCommand({ executionArn }));
      if (status === 'SUCCEEDED') return;
      if (status !== 'RUNNING') throw new Error(`${executionArn} ended ${status}: ${error} ${cause}`);
      if (performance.now() - started > DEADLINE_MS) throw new Error(`${executionArn} still RUNNING after ${DEADLINE_MS} ms`);
      await sleep(POLL_MS);
    }
  };
  return { client, runToSuccess };
}

async function measureVariant(ctx: SuiteContext, label: string, stateDir: string | undefined): Promise<Row[]> {
  const { runToSuccess } = await serve(ctx, stateDir);
  const first = await time(runToSuccess);
  const latency = await sample(runToSuccess, { warmup: ctx.size(10, 3), n: ctx.size(100, 20) });
  const rounds = ctx.size(5, 2);
  let elapsed = 0;
  for (let round = 0; round < rounds; round++) {
    elapsed += await time(() => Promise.all(Array.from({ length: CONCURRENCY }, runToSuccess)));
  }
  const executions = rounds * CONCURRENCY;
  return [
    { suite: SUITE, metric: `${label}: first run (builds the machine)`, value: first, unit: 'ms', n: 1 },
    ...latencyRows(SUITE, `${label}: start -> SUCCEEDED`, latency),
    { suite: SUITE, metric: `${label}: throughput, ${CONCURRENCY} concurrent`, value: executions / (elapsed / 1000), unit: 'exec/s', n: executions },
  ];
}

/** Rows of several variants, metric by metric, so the variants of one figure sit side by side. */
function interleave(variants: Row[][]): Row[] {
  const longest = Math.max(...variants.map((rows) => rows.length));
  return Array.from({ length: longest }, (_, i) => variants.flatMap((rows) => rows[i] ?? [])).flat();
}

export const sfnSuite: Suite = {
  name: SUITE,
  async run(ctx) {
    // Process-wide one-offs (loading the interpreter, JIT) are paid here, unmeasured, so both
    // variants' "first run" figures hold the per-machine build only.
    const warm = await serve(ctx, undefined);
    for (let i = 0; i < 3; i++) await warm.runToSuccess();

    const persisted = await measureVariant(ctx, 'persisted', await ctx.tempDir('sfn-state'));
    const inMemory = await measureVariant(ctx, 'in-memory', undefined);
    return interleave([persisted, inMemory]);
  },
};

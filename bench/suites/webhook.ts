import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { EventBridgeClient, PutEventsCommand, PutRuleCommand } from '@aws-sdk/client-eventbridge';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { EVENT_SOURCE } from '../../functions/lib/domain/events/employee-events.ts';
import { MAX_BODY_BYTES } from '../../functions/lib/domain/hris/registry.ts';
import { EVENT_BUS_NAME, EVENT_RULES } from '../../infra/spec/wiring.ts';
import { hirePayload } from '../../local/demo/hris.ts';
import { apiGatewayEvent } from '../../local/front-door.ts';
import { signStandardWebhook } from '../../local/hris-sender.ts';
import { latencyRows, type Row, type Suite } from '../lib/suite.ts';
import { bootWorkerCloud, cloudEnv } from '../lib/worker-cloud.ts';
import { isWorkerEntry, runWorker, serveWorker, type WorkerCleanups } from '../lib/worker.ts';

/**
 * The production hris-webhook handler, imported and called directly (no HTTP, no local
 * Lambda runtime) with API Gateway v2 events, in a worker process that also runs the local
 * cloud: Secrets Manager serves the signing secret (fetched once, then cached by the
 * handler as in a warm container), EventBridge receives the PutEvents.
 *
 * What the 202 figure is: verify + normalise + one PutEvents round trip over loopback HTTP
 * to the EventBridge emulator, which runs on the same event loop as the handler. The bus
 * and the handler's config are the real ones; only the stack's routing rule is switched to
 * DISABLED (PutRule, as an operator could), so accepted events match no rule and start no
 * joiner: event-router and Step Functions costs are not in it (the joiner suite has those).
 * Events are built and signed before the clock starts. Powertools logs (WARN, as the local
 * cloud sets it: one line per 401) go to a pipe the parent drains.
 */

const SUITE = 'webhook';
const SOURCE = 'generic';
const ROUTE_KEY = 'POST /hris/{source}';
const IN_FLIGHT = 32;

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

interface Task {
  warmup: number;
  sequential: number;
  concurrent: number;
}

interface Measured {
  metric: string;
  /** Per-call milliseconds of the one-in-flight series. */
  sequentialMs: number[];
  sequentialPerSec: number;
  concurrentPerSec: number;
  concurrentN: number;
}

function lambdaContext(): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'gatehouse-hris-webhook',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:gatehouse-hris-webhook',
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: '/aws/lambda/gatehouse-hris-webhook',
    logStreamName: 'bench',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function webhookEvent(body: Buffer, headers: Record<string, string>): APIGatewayProxyEventV2 {
  const req = { method: 'POST', path: `/hris/${SOURCE}`, query: new URLSearchParams(), body, headers: { 'content-type': 'application/json', ...headers } };
  return apiGatewayEvent(req, ROUTE_KEY, { source: SOURCE });
}

function signedHire(secret: string, i: number): APIGatewayProxyEventV2 {
  const id = `BENCH-${i}`;
  const body = Buffer.from(JSON.stringify(hirePayload({ id, role: 'engineer' })));
  return webhookEvent(body, signStandardWebhook(body, secret, `bench-${randomUUID()}`, Math.floor(Date.now() / 1000)));
}

/** Makes `n` calls, `inFlight` at a time; answers calls/s and, with one in flight, each call's ms. */
async function drive(call: (i: number) => Promise<void>, n: number, inFlight: number): Promise<{ perSec: number; ms: number[] }> {
  const ms: number[] = [];
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < n; i = next++) {
      const start = performance.now();
      await call(i);
      if (inFlight === 1) ms.push(performance.now() - start);
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: inFlight }, lane));
  return { perSec: n / ((performance.now() - start) / 1000), ms };
}

/** A call of the handler per prepared event (built and signed before the clock starts), checking the status. */
function handlerCalls(handler: Handler, events: (i: number) => APIGatewayProxyEventV2, n: number, status: number): (i: number) => Promise<void> {
  const prepared = Array.from({ length: n }, (_, i) => events(i));
  return async (i) => {
    const event = prepared[i];
    if (!event) throw new Error(`no prepared event ${i}`);
    const out = await handler(event, lambdaContext());
    if (out.statusCode !== status) throw new Error(`expected ${status}, got ${out.statusCode}: ${out.body}`);
  };
}

async function measure(task: Task, cleanups: WorkerCleanups): Promise<Measured[]> {
  const cloud = await bootWorkerCloud(cleanups, 'webhook');
  const events = new EventBridgeClient({});
  const secrets = new SecretsManagerClient({});
  const sfn = new SFNClient({});
  cleanups.defer(() => [events, secrets, sfn].forEach((client) => client.destroy()));
  for (const rule of EVENT_RULES) {
    await events.send(new PutRuleCommand({ Name: rule.name, EventBusName: EVENT_BUS_NAME, EventPattern: JSON.stringify(rule.eventPattern), State: 'DISABLED' }));
  }
  const secret = (await secrets.send(new GetSecretValueCommand({ SecretId: `${cloudEnv(cloud, 'HRIS_SECRET_PREFIX')}${SOURCE}` }))).SecretString ?? '';
  const { handler } = (await import('../../functions/hris-webhook/handler.ts')) as { handler: Handler };

  const forged = signedHire('whsec_Zm9yZ2VkLWtleS1mb3ItdGhlLWJlbmNo', 0);
  const oversizedBody = Buffer.alloc(MAX_BODY_BYTES + 1, 0x20);
  const oversized = webhookEvent(oversizedBody, signStandardWebhook(oversizedBody, secret, 'bench-oversized', Math.floor(Date.now() / 1000)));
  const kinds = [
    { metric: '202 signed generic hire (PutEvents, rule disabled)', status: 202, event: (i: number) => signedHire(secret, i) },
    { metric: '401 bad signature', status: 401, event: () => forged },
    { metric: `413 body ${MAX_BODY_BYTES / 1024} KiB + 1 B`, status: 413, event: () => oversized },
  ];
  const detail = JSON.stringify(hirePayload({ id: 'BENCH-REF', role: 'engineer' }));
  const putEventsAlone = async () => {
    const out = await events.send(new PutEventsCommand({ Entries: [{ EventBusName: EVENT_BUS_NAME, Source: EVENT_SOURCE, DetailType: 'employee.hired', Detail: detail }] }));
    if ((out.FailedEntryCount ?? 0) > 0) throw new Error(`PutEvents failed: ${JSON.stringify(out.Entries)}`);
  };
  const series = [
    ...kinds.map((kind) => ({ metric: kind.metric, calls: (n: number) => handlerCalls(handler, kind.event, n, kind.status) })),
    { metric: 'reference: PutEvents alone (SDK -> emulator, 1 entry)', calls: () => putEventsAlone },
  ];
  // Warm every path first (secret cache, JIT, the PutEvents connection), untimed.
  for (const one of series) await drive(one.calls(task.warmup), task.warmup, 1);
  const measured: Measured[] = [];
  for (const one of series) {
    const sequential = await drive(one.calls(task.sequential), task.sequential, 1);
    const concurrent = await drive(one.calls(task.concurrent), task.concurrent, IN_FLIGHT);
    measured.push({ metric: one.metric, sequentialMs: sequential.ms, sequentialPerSec: sequential.perSec, concurrentPerSec: concurrent.perSec, concurrentN: task.concurrent });
  }
  const started = await sfn.send(new ListExecutionsCommand({ stateMachineArn: cloudEnv(cloud, 'JOINER_STATE_MACHINE_ARN') }));
  if ((started.executions ?? []).length > 0) throw new Error('the disabled rule still routed events: joiners were started');
  return measured;
}

export const webhookSuite: Suite = {
  name: SUITE,
  async run(ctx) {
    const task: Task = { warmup: ctx.size(300, 50), sequential: ctx.size(3000, 300), concurrent: ctx.size(6000, 600) };
    const measured = await runWorker<Task, Measured[]>(ctx, import.meta.url, task);
    const rows: Row[] = [];
    for (const m of measured) rows.push({ suite: SUITE, metric: `${m.metric}, 1 in flight`, value: m.sequentialPerSec, unit: 'req/s', n: m.sequentialMs.length });
    for (const m of measured) rows.push({ suite: SUITE, metric: `${m.metric}, ${IN_FLIGHT} in flight`, value: m.concurrentPerSec, unit: 'req/s', n: m.concurrentN });
    const accepted = measured[0];
    if (accepted) rows.push(...latencyRows(SUITE, `${accepted.metric} latency`, accepted.sequentialMs));
    return rows;
  },
};

if (isWorkerEntry(import.meta.url)) serveWorker(measure);

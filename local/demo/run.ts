import { DescribeExecutionCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { stateMachineArn } from '../core/arn.ts';
import type { LocalCloud } from '../cloud.ts';
import { DemoHris } from './hris.ts';
import { DemoReport } from './report.ts';
import { joinerScenarios } from './joiner.ts';
import { leaverScenarios } from './leaver.ts';
import { moverScenarios } from './mover.ts';
import { reconcileScenarios } from './reconcile.ts';
import { timeBoundScenarios } from './time-bound.ts';

export interface DemoContext {
  cloud: LocalCloud;
  hris: DemoHris;
  sfn: SFNClient;
  report: DemoReport;
  /** Unique per run, so the demo also works on a cloud with state from earlier runs. */
  runId: string;
}

/** The execution started for a delivery id, once it has finished. */
export async function finishedExecution(sfn: SFNClient, machine: string, name: string, timeoutMs = 90_000) {
  const arn = `${stateMachineArn(machine).replace(':stateMachine:', ':execution:')}:${name}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const out = await sfn.send(new DescribeExecutionCommand({ executionArn: arn })).catch(() => undefined);
    if (out && out.status !== 'RUNNING') return out;
    if (Date.now() > deadline) throw new Error(`execution ${name} still ${out?.status ?? 'not started'} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export async function executionsNamed(sfn: SFNClient, machine: string, name: string): Promise<number> {
  const out = await sfn.send(new ListExecutionsCommand({ stateMachineArn: stateMachineArn(machine), maxResults: 1000 }));
  return (out.executions ?? []).filter((e) => e.name === name).length;
}

/** Runs every scenario against a booted cloud and prints what it saw. */
export async function runDemo(cloud: LocalCloud): Promise<boolean> {
  const ctx: DemoContext = {
    cloud,
    hris: new DemoHris(cloud.endpoints.frontdoor),
    sfn: new SFNClient({}),
    report: new DemoReport(),
    runId: Date.now().toString(36).toUpperCase(),
  };
  for (const scenario of [...joinerScenarios, ...moverScenarios, ...timeBoundScenarios, ...leaverScenarios, ...reconcileScenarios]) {
    ctx.report.begin(scenario.title);
    try {
      await scenario.run(ctx);
    } catch (error) {
      ctx.report.fail('scenario ran to the end', error);
    }
  }
  console.log(ctx.report.summary());
  ctx.sfn.destroy();
  return ctx.report.ok;
}

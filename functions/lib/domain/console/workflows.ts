/** The operators' Workflows page: recent executions of every workflow, failed first; counts per day. */

export interface ExecutionRun {
  workflow: string;
  name: string;
  arn: string;
  status: string;
  startedAt: string;
  stoppedAt: string | null;
}

export interface Failure {
  failedStep: string | null;
  error: string | null;
}

/** What the page consumes: Step Functions' ListExecutions and the failure event of one execution. */
export interface WorkflowRuns {
  recent(workflow: string, limit: number): Promise<ExecutionRun[]>;
  failureOf(executionArn: string): Promise<Failure>;
}

const FAILED = new Set(['FAILED', 'TIMED_OUT', 'ABORTED']);

export async function workflowOverview(runs: WorkflowRuns, workflows: readonly string[], perWorkflow = 50) {
  const all = (await Promise.all(workflows.map((w) => runs.recent(w, perWorkflow)))).flat();
  // Only the failures shown get a history read (bounded: 20).
  const failed = all.filter((r) => FAILED.has(r.status)).sort((a, b) => b.startedAt.localeCompare(a.startedAt)).slice(0, 20);
  const failures = new Map(await Promise.all(failed.map(async (r) => [r.arn, await runs.failureOf(r.arn)] as const)));
  const items = [...all]
    .sort((a, b) => Number(FAILED.has(b.status)) - Number(FAILED.has(a.status)) || b.startedAt.localeCompare(a.startedAt))
    .map((r) => ({ workflow: r.workflow, name: r.name, status: r.status, startedAt: r.startedAt, stoppedAt: r.stoppedAt, failedStep: failures.get(r.arn)?.failedStep ?? null, error: failures.get(r.arn)?.error ?? null }));
  const days = new Map<string, { day: string; workflow: string; succeeded: number; failed: number; running: number }>();
  for (const r of all) {
    const key = `${r.startedAt.slice(0, 10)}\u0000${r.workflow}`;
    const day = days.get(key) ?? { day: r.startedAt.slice(0, 10), workflow: r.workflow, succeeded: 0, failed: 0, running: 0 };
    if (r.status === 'SUCCEEDED') day.succeeded += 1;
    else if (FAILED.has(r.status)) day.failed += 1;
    else day.running += 1;
    days.set(key, day);
  }
  const perDay = [...days.values()].sort((a, b) => b.day.localeCompare(a.day) || a.workflow.localeCompare(b.workflow));
  return { items, perDay };
}

import type { SFNClient } from '@aws-sdk/client-sfn';
import { resolveEntitlements } from '../../functions/lib/domain/catalogue/resolve.ts';
import type { Catalogue } from '../../functions/lib/domain/catalogue/schema.ts';
import { readLocalCatalogue } from '../../local/catalogue.ts';
import type { LocalCloud } from '../../local/cloud.ts';
import { approvalLink, decide } from '../../local/demo/approver.ts';
import { hirePayload, type DemoHris } from '../../local/demo/hris.ts';
import { accessOf } from '../../local/demo/inspect.ts';
import { finishedExecution } from '../../local/demo/run.ts';
import { transitionsOf, type Transitions } from './transitions.ts';

/** The catalogue the local cloud serves (GATEHOUSE_CATALOGUE, default the shipped one). */
const catalogue = (): Catalogue => readLocalCatalogue().catalogue;

/**
 * One hire, end to end on a running local cloud, as the demo plays it: a signed generic
 * webhook through the front door, approvals (if any) clicked through the emailed link,
 * then what exists is checked (user, memberships, workstation running, volume attached)
 * so a figure is never taken from a joiner that did not provision.
 */
export interface HireEnv {
  cloud: LocalCloud;
  hris: DemoHris;
  sfn: SFNClient;
  runId: string;
}

export interface HireOutcome {
  /** Execution stopDate minus the moment before the webhook POST (same clock, same process). */
  latencyMs: number;
  transitions: Transitions;
}

export interface HireSpec {
  role: string;
  /** Approvers in chain order, each approving through the emailed link. */
  approvers?: readonly string[];
  managerEmail?: string;
}

const MAX_MS = 120_000;

function expected(role: string) {
  const entitlements = resolveEntitlements(catalogue(), role);
  return {
    groups: entitlements.filter((e) => e.kind === 'group').length,
    workstations: entitlements.filter((e) => e.kind === 'workstation').length,
  };
}

let counter = 0;

export async function hire(env: HireEnv, spec: HireSpec): Promise<HireOutcome> {
  counter += 1;
  // Fixed width, so no id is a prefix of another (approvalLink finds mails by substring).
  const id = `B${env.runId}-${spec.role.toUpperCase()}-${String(counter).padStart(4, '0')}`;
  const deliveryId = `bench-${id}`;
  const sent = Date.now();
  const posted = await env.hris.post(hirePayload({ id, role: spec.role, ...(spec.managerEmail ? { managerEmail: spec.managerEmail } : {}) }), deliveryId);
  if (posted.status !== 202) throw new Error(`${id}: webhook answered ${posted.status}: ${posted.body}`);
  for (const approver of spec.approvers ?? []) {
    const decided = await decide(await approvalLink(env.cloud.endpoints.ses, approver, id, MAX_MS), 'approve', 'bench');
    if (decided.decisionStatus !== 303) throw new Error(`${id}: ${approver} could not approve (GET ${decided.pageStatus}, POST ${decided.decisionStatus})`);
  }
  const execution = await finishedExecution(env.sfn, 'joiner', `generic-${deliveryId}`, MAX_MS);
  if (execution.status !== 'SUCCEEDED' || !execution.stopDate || !execution.executionArn) {
    throw new Error(`${id}: joiner ended ${execution.status}: ${execution.error ?? ''} ${execution.cause ?? ''}`);
  }
  const want = expected(spec.role);
  const access = await accessOf(id, `${id.toLowerCase()}@example.com`);
  const running = access.instances.filter((i) => i.state === 'running').length;
  if (access.userId === undefined || access.memberships !== want.groups || running !== want.workstations || access.attachedVolumes !== want.workstations) {
    throw new Error(`${id}: joiner SUCCEEDED but access is not what ${spec.role} grants: ${JSON.stringify(access)}`);
  }
  return { latencyMs: execution.stopDate.getTime() - sent, transitions: await transitionsOf(env.sfn, execution.executionArn) };
}

import { QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { resolveEntitlements } from '../../functions/lib/domain/catalogue/resolve.ts';
import type { Catalogue } from '../../functions/lib/domain/catalogue/schema.ts';
import { readLocalCatalogue } from '../../local/catalogue.ts';
import { changePayload, type DemoHris } from '../../local/demo/hris.ts';
import { accessOf } from '../../local/demo/inspect.ts';
import { finishedExecution } from '../../local/demo/run.ts';
import { transitionsOf, type Transitions } from './transitions.ts';

/** The catalogue the local cloud serves (GATEHOUSE_CATALOGUE, default the shipped one). */
const catalogue = (): Catalogue => readLocalCatalogue().catalogue;

/**
 * One role change, end to end on a running local cloud: a signed generic `employee.changed`
 * webhook through the front door, timed from just before the POST to the mover execution's
 * stopDate (SUCCEEDED after Notify). What exists is checked afterwards (the new role's
 * memberships and no other, a running workstation with its volume exactly when the new role
 * has one, grants table active only for `role:<new>`), so a figure is never taken from a move
 * that did not happen. Low-risk target roles only: no approver is asked.
 */
export interface MoveEnv {
  hris: DemoHris;
  sfn: SFNClient;
  dynamo: DynamoDBClient;
  grantsTable: string;
}

export interface MoveOutcome {
  latencyMs: number;
  transitions: Transitions;
}

const MAX_MS = 120_000;

function expected(role: string) {
  const entitlements = resolveEntitlements(catalogue(), role);
  return {
    groups: entitlements.flatMap((e) => (e.kind === 'group' ? [e.displayName] : [])).sort(),
    workstations: entitlements.filter((e) => e.kind === 'workstation').length,
    grants: entitlements.map((e) => `${e.id}|role:${role}`).sort(),
  };
}

async function activeGrants(env: MoveEnv, id: string): Promise<string[]> {
  const out = await env.dynamo.send(
    new QueryCommand({ TableName: env.grantsTable, KeyConditionExpression: 'employeeId = :e', ExpressionAttributeValues: { ':e': { S: id } }, ConsistentRead: true }),
  );
  return (out.Items ?? []).filter((item) => item.status?.S === 'active').map((item) => `${item.entitlementId?.S ?? '?'}|${item.source?.S ?? '?'}`).sort();
}

/** Moves `id` to `role` under a fresh delivery id (`bench-<id>-<step>`) and checks the outcome. */
export async function move(env: MoveEnv, id: string, role: string, step: string): Promise<MoveOutcome> {
  const deliveryId = `bench-${id}-${step}`;
  const sent = Date.now();
  const posted = await env.hris.post(changePayload({ id, role }), deliveryId);
  if (posted.status !== 202) throw new Error(`${id}: change answered ${posted.status}: ${posted.body}`);
  const execution = await finishedExecution(env.sfn, 'mover', `generic-${deliveryId}`, MAX_MS);
  if (execution.status !== 'SUCCEEDED' || !execution.stopDate || !execution.executionArn) {
    throw new Error(`${id}: mover ended ${execution.status}: ${execution.error ?? ''} ${execution.cause ?? ''}`);
  }
  const want = expected(role);
  const access = await accessOf(id, `${id.toLowerCase()}@example.com`);
  const running = access.instances.filter((i) => i.state === 'running').length;
  const live = access.instances.filter((i) => i.state !== 'terminated').length;
  const grants = await activeGrants(env, id);
  const moved =
    JSON.stringify(access.groups) === JSON.stringify(want.groups) &&
    running === want.workstations &&
    live === want.workstations &&
    access.attachedVolumes === want.workstations &&
    access.volumes.length === want.workstations &&
    JSON.stringify(grants) === JSON.stringify(want.grants);
  if (!moved) throw new Error(`${id}: mover SUCCEEDED but access is not what ${role} grants: ${JSON.stringify({ access, grants })}`);
  return { latencyMs: execution.stopDate.getTime() - sent, transitions: await transitionsOf(env.sfn, execution.executionArn) };
}

import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DescribeExecutionCommand, ExecutionDoesNotExist, type HistoryEvent, type SFNClient } from '@aws-sdk/client-sfn';
import { setTimeout as sleep } from 'node:timers/promises';
import { createAuditStore } from '../../../functions/lib/adapters/dynamodb/audit.ts';
import { executionArn } from '../../../local/core/arn.ts';
import { decide } from '../../../local/demo/approver.ts';
import { accessOf } from '../../../local/demo/inspect.ts';
import { fetchSentMails } from '../../../local/ses-local.ts';
import { historyOf } from '../../local/sfn-helpers.ts';
import { userNameOf } from './e2e-cloud.ts';

/**
 * What one workflow run left behind, in terms that do not depend on the person's id: the
 * crash test compares every crashed-and-resumed run with an uninterrupted one field by field.
 */
export interface FlowOutcome {
  status: string;
  /** Names of the states entered, in order (a Map's iteration states once per iteration). */
  entered: string[];
  approvalMails: number;
  approvalItems: number;
  /** Mails that repeat a link another mail already carried (an approval asked twice): must be 0. */
  repeatedApprovalMails: number;
  users: number;
  groups: string[];
  /** Instances ever launched for the person (terminated ones included), and those still live. */
  instances: number;
  liveInstances: number;
  volumes: number;
  snapshots: number;
  activeGrants: number;
  revokedGrants: number;
  /** Audit entries per `kind|entitlement`: one grant.applied per grant shows as a 1. */
  audit: Record<string, number>;
  /** grant.applied / grant.revoked entries one execution wrote twice for one entitlement: must be 0. */
  repeatedGrantEntries: number;
  auditChainOk: boolean;
}

const LINK = /https?:\/\/[^\s"<>]+\/approvals\/[A-Za-z0-9_-]+/;

export const enteredStates = (events: HistoryEvent[]): string[] =>
  events.filter((e) => e.type?.endsWith('StateEntered')).map((e) => e.stateEnteredEventDetails?.name ?? '?');

/** Approval links mailed about a person (each approval request mails one). */
export async function approvalLinksAbout(ses: string, id: string): Promise<string[]> {
  return (await fetchSentMails(ses)).flatMap((m) => {
    const text = m.body.text ?? '';
    const link = text.includes(id) ? LINK.exec(text)?.[0] : undefined;
    return link ? [link] : [];
  });
}

async function approvalItems(tableName: string, id: string): Promise<number> {
  const client = new DynamoDBClient({});
  let count = 0;
  let start: Record<string, never> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'itemType = :a AND employeeId = :e',
        ExpressionAttributeValues: { ':a': { S: 'approval' }, ':e': { S: id } },
        ExclusiveStartKey: start,
      }),
    );
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey as typeof start;
  } while (start);
  client.destroy();
  return count;
}

export async function flowOutcome(sfn: SFNClient, ses: string, machine: string, name: string, id: string): Promise<FlowOutcome> {
  const arn = executionArn(machine, name);
  const description = await sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
  const access = await accessOf(id, userNameOf(id));
  const entries = await createAuditStore({ client: new DynamoDBClient({}), tableName: process.env.AUDIT_TABLE_NAME ?? '', clock: { now: () => new Date() } }).listBySubject(id);
  const audit: Record<string, number> = {};
  const perExecution = new Map<string, number>();
  for (const entry of entries) {
    const key = `${entry.kind}|${'entitlementId' in entry ? String(entry.entitlementId) : ''}`;
    audit[key] = (audit[key] ?? 0) + 1;
    if (entry.kind === 'grant.applied' || entry.kind === 'grant.revoked') perExecution.set(`${key}|${entry.executionId}`, (perExecution.get(`${key}|${entry.executionId}`) ?? 0) + 1);
  }
  const links = await approvalLinksAbout(ses, id);
  return {
    status: description.status ?? '?',
    entered: enteredStates(await historyOf(sfn, arn)),
    approvalMails: links.length,
    approvalItems: await approvalItems(process.env.APPROVALS_TABLE_NAME ?? '', id),
    repeatedApprovalMails: links.length - new Set(links).size,
    users: access.users,
    groups: access.groups,
    instances: access.instances.length,
    liveInstances: access.instances.filter((i) => i.state !== 'terminated').length,
    volumes: access.volumes.length,
    snapshots: access.snapshots.length,
    activeGrants: access.activeGrants,
    revokedGrants: access.revokedGrants,
    audit,
    repeatedGrantEntries: [...perExecution.values()].filter((count) => count > 1).length,
    auditChainOk: access.auditChainOk,
  };
}

/**
 * Plays every approver: opens each approval link about the person and approves it (a page
 * without a form is decided, expired or superseded: nothing to do). Runs until the execution
 * ends or the cloud dies; a request that fails because the cloud died is simply not counted.
 */
export async function driveUntilEnd(sfn: SFNClient, ses: string, machine: string, name: string, id: string, cloudAlive: () => boolean, cloudDied: () => Promise<boolean>, timeoutMs = 90_000): Promise<'ended' | 'crashed'> {
  const arn = executionArn(machine, name);
  const settled = new Set<string>();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!cloudAlive()) return 'crashed';
    try {
      const described = await sfn.send(new DescribeExecutionCommand({ executionArn: arn })).catch((error: unknown) => {
        if (error instanceof ExecutionDoesNotExist) return undefined; // the webhook's execution is not started yet
        throw error;
      });
      if (described?.status && described.status !== 'RUNNING') return 'ended';
      for (const link of await approvalLinksAbout(ses, id)) {
        if (settled.has(link)) continue;
        const decided = await decide(link, 'approve', 'crash test');
        if (decided.decisionStatus === 303 || (decided.pageStatus < 500 && decided.decisionStatus === 0)) settled.add(link);
      }
    } catch (error) {
      if (!(await cloudDied())) throw error;
      return 'crashed';
    }
    await sleep(100);
  }
  throw new Error(`${name} neither ended nor crashed within ${timeoutMs} ms`);
}

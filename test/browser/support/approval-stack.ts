import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand, type DescribeExecutionOutput } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { TableSpec } from '../../../infra/spec/tables.ts';
import { executionArn as executionArnOf, functionArn, stateMachineArn } from '../../../local/core/arn.ts';
import { startHttpServer } from '../../../local/core/http.ts';
import { frontDoor } from '../../../local/front-door.ts';
import { LocalLambdaRuntime } from '../../../local/lambda-runtime.ts';
import { fetchSentMails, startSesLocal, type SentMail } from '../../../local/ses-local.ts';
import { createSfnEmulator } from '../../../local/sfn/service.ts';
import { localTableSpecs } from '../../../local/tables.ts';
import { approvalSchema, type Approval } from '#lib/domain/approvals/approval';
import { stepEmails, type ChainStep } from '#lib/domain/policy/schema';
import { createRequestRepository } from '#lib/adapters/dynamodb/requests';
import type { RequestRecord } from '#lib/domain/requests/request-record';
import { createTestTables } from '../../support/dynamodb.ts';
import { clientConfig, noFaults } from '../../support/emulator.ts';
import { eventually } from '../../support/poll.ts';

/**
 * The approval flow on the local cloud's real parts, for one test file: DynamoDB Local (per-file
 * tables), aws-ses-v2-local, the SFN emulator running the joiner's own "Ask Approvers In Order"
 * state, and the front door routing /approvals/{id} to the production handlers in-process.
 */

const ROOT = resolve(import.meta.dirname, '../../..');
export const MACHINE = 'approval-chain';

/** The joiner's approval Map state, verbatim, between a start and four end states. */
function approvalMachine(): string {
  const joiner = JSON.parse(readFileSync(join(ROOT, 'statemachines/joiner.asl.json'), 'utf8')) as { States: Record<string, Record<string, unknown>> };
  const ask = joiner.States['Ask Approvers In Order'];
  if (!ask) throw new Error('joiner.asl.json has no "Ask Approvers In Order" state');
  const end = { Type: 'Pass', End: true };
  const text = JSON.stringify({
    StartAt: 'Ask Approvers In Order',
    States: { 'Ask Approvers In Order': ask, 'Wait Until Lead Time': end, 'Record Denial': end, 'Record Expiry': end, 'Record Failure': end },
  });
  return text.replaceAll('${ApprovalRequestFunctionArn}', functionArn('approval-request'));
}

export interface StartedApproval {
  id: string;
  employeeId: string;
  requestId: string;
  executionArn: string;
  approver: string;
  mail: SentMail;
  link: string;
  approvalId: string;
}

export function requestRecordFor(id: string, approvers: ChainStep[]): RequestRecord {
  return {
    requestId: `req-${id}`,
    kind: 'joiner',
    employeeId: `E-${id}`,
    employeeDisplayName: 'Ada Lovelace',
    role: 'platform-engineer',
    roleDisplayName: 'Platform Engineer',
    entitlements: [
      { id: 'group:ProdAdmin', kind: 'group', displayName: 'ProdAdmin', description: 'Administrator in the production AWS accounts', risk: 'high', ownerGroupEmail: 'prod-owners@example.com' },
      { id: 'group:Developers', kind: 'group', displayName: 'Developers', description: 'Developer tooling and read-only staging', risk: 'low', ownerGroupEmail: 'dev-owners@example.com' },
    ],
    decision: { decision: 'needs-approval', reason: `joiner E-${id}: high-risk entitlements need approval (group:ProdAdmin)`, chain: approvers },
    createdAt: new Date().toISOString(),
    executionId: executionArnOf(MACHINE, `exec-${id}`),
    executionName: `exec-${id}`,
  };
}

const LINK = /https?:\/\/[^\s"<>]+\/approvals\/([A-Za-z0-9_-]{43})/;

export async function startApprovalStack(label: string) {
  const specs = localTableSpecs({ tablePrefix: '', frontDoorUrl: '' });
  const spec = (name: TableSpec['name']) => {
    const found = specs.find((table) => table.create.TableName === name);
    if (!found) throw new Error(`no table spec ${name}`);
    return found;
  };
  // employees + notifications: a decision that completes the chain tells the requester (the approved notice).
  const tables = await createTestTables(label, {
    approvals: spec('approvals'),
    requests: spec('requests'),
    audit: spec('audit'),
    employees: spec('employees'),
    notifications: spec('notifications'),
  });
  const ses = await startSesLocal({ port: 0 });
  const runtime = new LocalLambdaRuntime(join(ROOT, 'functions'), 30_000);
  const door = await startHttpServer(0, frontDoor(runtime, () => Promise.resolve({ status: 404, body: '' })));
  const sfnEmulator = createSfnEmulator({ faults: noFaults() }, { machines: { [MACHINE]: approvalMachine() }, invokeFunction: (arn, payload) => runtime.invoke(arn, payload) });
  const sfnServer = await startHttpServer(0, sfnEmulator.handler);

  // The handlers read these at cold start; nothing has imported them yet.
  Object.assign(process.env, {
    APPROVALS_TABLE_NAME: tables.names.approvals,
    REQUESTS_TABLE_NAME: tables.names.requests,
    AUDIT_TABLE_NAME: tables.names.audit,
    EMPLOYEES_TABLE_NAME: tables.names.employees,
    NOTIFICATIONS_TABLE_NAME: tables.names.notifications,
    APPROVAL_BASE_URL: door.url,
    MAIL_FROM: 'gatehouse@example.com',
    OPERATOR_EMAIL: 'it-ops@example.com',
    AWS_ENDPOINT_URL_DYNAMODB: tables.endpoint,
    AWS_ENDPOINT_URL_SESV2: ses.endpoint,
    AWS_ENDPOINT_URL_SFN: sfnServer.url,
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  });

  const sfn = new SFNClient(clientConfig(sfnServer.url));
  const doc = DynamoDBDocumentClient.from(tables.client, { marshallOptions: { removeUndefinedValues: true } });
  const requests = createRequestRepository({ client: doc, tableName: tables.names.requests });

  async function mailTo(approver: string, after = 0): Promise<SentMail> {
    return eventually(async () => (await fetchSentMails(ses.endpoint)).filter((mail) => mail.destination.to.includes(approver))[after], `mail #${after + 1} to ${approver}`, 15_000, 50);
  }

  async function start(options: { timeoutSeconds?: number; approvers?: (id: string) => ChainStep[] } = {}): Promise<StartedApproval> {
    const id = randomUUID().slice(0, 8);
    const approvers: ChainStep[] = options.approvers?.(id) ?? [{ kind: 'manager' as const, email: `manager-${id}@example.com`, entitlementIds: [] }];
    const record = requestRecordFor(id, approvers);
    await requests.put(record);
    const input = {
      employee: { employeeId: record.employeeId },
      request: { requestId: record.requestId, employeeId: record.employeeId, decision: record.decision, approvalTimeoutSeconds: options.timeoutSeconds ?? 3600 },
      results: {},
    };
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: stateMachineArn(MACHINE), name: record.executionName, input: JSON.stringify(input) }));
    const approver = stepEmails(approvers[0]!)[0]!;
    const mail = await mailTo(approver);
    const match = LINK.exec(mail.body.text ?? '');
    if (!match) throw new Error(`no approval link in the mail to ${approver}`);
    // The handler records mailedAt only after SES accepted the mail, so the mail can be seen a moment
    // before the item says it was sent: wait for that write, or a test comparing items races it.
    await eventually(async () => ((await approvalItem(match[1]!)).mailedAt ? true : undefined), `approval ${match[1]} to record mailedAt`, 15_000, 20);
    return { id, employeeId: record.employeeId, requestId: record.requestId, executionArn: executionArn!, approver, mail, link: match[0], approvalId: match[1]! };
  }

  async function approvalItem(approvalId: string): Promise<Approval> {
    const { Item } = await doc.send(new GetCommand({ TableName: tables.names.approvals, Key: { approvalId }, ConsistentRead: true }));
    return approvalSchema.parse(Item);
  }

  const describe = (executionArn: string) => sfn.send(new DescribeExecutionCommand({ executionArn }));

  async function finished(executionArn: string, timeoutMs = 15_000): Promise<DescribeExecutionOutput & { parsed: Record<string, unknown> }> {
    const done = await eventually(async () => {
      const description = await describe(executionArn);
      return description.status === 'RUNNING' ? undefined : description;
    }, `${executionArn} to finish`, timeoutMs, 50);
    return { ...done, parsed: JSON.parse(done.output ?? 'null') as Record<string, unknown> };
  }

  async function stop(): Promise<void> {
    sfn.destroy();
    await sfnEmulator.stop?.();
    await sfnServer.close();
    await door.close();
    await ses.stop();
    await tables.drop();
  }

  return { frontDoorUrl: door.url, sesEndpoint: ses.endpoint, tables, doc, sfn, runtime, requests, start, mailTo, approvalItem, describe, finished, stop };
}

export type ApprovalStack = Awaited<ReturnType<typeof startApprovalStack>>;

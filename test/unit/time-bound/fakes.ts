import { FakeApprovalRepository, FakeCallbacks, requestRecord } from '../approvals/fakes.ts';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { roleCatalogue } from '#lib/runtime/catalogue';
import { httpErrors } from '#lib/http/http-errors';
import { accessRequestRoute } from '#lib/http/time-bound/route';
import type { AccessRequestsDeps } from '#lib/http/time-bound/api';
import type { AccessWorkflows } from '#lib/adapters/aws/sfn-time-bound';
import type { EmployeeRecord } from '#lib/domain/time-bound/employee';
import type { TimeBoundRequestView } from '#lib/domain/time-bound/ports';

/** In-memory ports for the time-bound-api routes, and API Gateway v2 events carrying JWT claims. */

export const employee = (id: string, role: string, overrides: Partial<EmployeeRecord> = {}): EmployeeRecord => ({
  employeeId: id,
  status: 'active',
  email: `${id.toLowerCase()}@example.com`,
  role,
  employmentType: 'employee',
  startDate: '2025-01-06',
  managerEmail: 'dana.lead@example.com',
  ...overrides,
});

export class FakeWorkflows implements AccessWorkflows {
  readonly executions = new Map<string, unknown>();
  readonly startCalls: string[] = [];
  start(name: string, input: unknown): Promise<'started' | 'exists'> {
    this.startCalls.push(name);
    if (this.executions.has(name)) return Promise.resolve('exists');
    this.executions.set(name, structuredClone(input));
    return Promise.resolve('started');
  }
  inputOf(name: string): Promise<unknown> {
    return Promise.resolve(this.executions.get(name));
  }
}

export function fakeDeps(people: EmployeeRecord[], views: TimeBoundRequestView[] = [], now = new Date('2026-03-02T08:00:10Z')) {
  const workflows = new FakeWorkflows();
  const clock = { current: now };
  const approvals = new FakeApprovalRepository();
  const callbacks = new FakeCallbacks();
  // The execution's newest approval: highest step, then latest created (dynamodb/approvals.ts createApprovalLookup).
  const newestApproval = (requestId: string, executionId: string) =>
    Promise.resolve(
      [...approvals.approvals.values()]
        .filter((a) => a.requestId === requestId && a.executionId === executionId)
        .sort((a, b) => b.step - a.step || b.createdAt.localeCompare(a.createdAt))[0],
    );
  const deps: AccessRequestsDeps = {
    catalogue: roleCatalogue,
    employees: {
      byEmail: (email) => Promise.resolve(people.find((p) => p.email.toLowerCase() === email.toLowerCase())),
      get: (id) => Promise.resolve(people.find((p) => p.employeeId === id)),
    },
    requests: { get: (id) => Promise.resolve(views.find((view) => view.requestId === id)), getExtension: () => Promise.resolve(undefined) },
    workflows,
    withdraw: { approvals, newestApproval, callbacks, clock: { now: () => clock.current } },
    operatorGroup: 'gatehouse-operators',
    now: () => clock.current,
  };
  return { deps, workflows, clock, approvals, callbacks };
}

export interface Claims {
  sub?: string;
  email?: string;
  groups?: string[] | string;
}

export function apiEvent(routeKey: string, options: { claims?: Claims; body?: string; headers?: Record<string, string>; id?: string } = {}): APIGatewayProxyEventV2 {
  const [method = 'GET', path = '/'] = routeKey.split(' ');
  return {
    version: '2.0',
    routeKey,
    rawPath: options.id ? path.replace('{id}', options.id) : path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', ...options.headers },
    ...(options.id ? { pathParameters: { id: options.id } } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'test',
      domainName: 'localhost',
      domainPrefix: 'local',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      requestId: 'r-1',
      routeKey,
      stage: '$default',
      time: '',
      timeEpoch: 0,
      ...(options.claims ? { authorizer: { jwt: { claims: options.claims, scopes: [] } } } : {}),
    },
    ...(options.body !== undefined ? { body: options.body } : {}),
    isBase64Encoded: false,
  };
}

/** The route behind the same error mapping as the deployed handler. */
export function http(deps: AccessRequestsDeps) {
  const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>().use(httpErrors()).handler(accessRequestRoute(deps));
  return async (event: APIGatewayProxyEventV2): Promise<{ status: number; body: Record<string, unknown> }> => {
    const out = await handler(event, {} as never);
    return { status: out.statusCode ?? 0, body: JSON.parse(out.body ?? '{}') as Record<string, unknown> };
  };
}

/** A time-bound request as the requests table holds it (status absent: submitted). */
export const requestView = (status: string | undefined, overrides: Partial<TimeBoundRequestView> = {}): TimeBoundRequestView => ({
  ...requestRecord({ entitlements: [{ id: 'group:ProdReadOnly', kind: 'group', displayName: 'ProdReadOnly', description: 'Read-only in production', risk: 'low', ownerGroupEmail: 'prod-owners@example.com' }] }),
  requestId: 'ar-0123456789abcdef0123456789abcdef',
  kind: 'time-bound',
  employeeId: 'E-SALES',
  executionId: 'arn:exec',
  requester: { employeeId: 'E-ENG', email: 'e-eng@example.com' },
  decision: { decision: 'auto-approved', reason: 'low risk' },
  duration: 'PT1H',
  createdAt: '2026-03-02T08:00:00.000Z',
  ...(status ? { status } : {}),
  ...overrides,
});

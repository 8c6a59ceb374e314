import { randomBytes, randomUUID } from 'node:crypto';
import { AwsError } from '../core/aws-error.ts';

/**
 * IAM Identity Center's account assignments (the `sso-admin` API) without the wire: permission
 * sets, assignments of a permission set on an account to a principal, and the asynchronous
 * requests that create and delete them. A request is `IN_PROGRESS` for `delayMs` after it is
 * made, then `SUCCEEDED` (the assignment appears or goes) or `FAILED` with a reason, computed
 * from stored timestamps before each call: no timers, and a restarted emulator carries on.
 */

export type PrincipalType = 'USER' | 'GROUP';
export type OperationStatus = 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED';

export interface Assignment {
  AccountId: string;
  PermissionSetArn: string;
  PrincipalType: PrincipalType;
  PrincipalId: string;
}

export interface AsyncRequest extends Assignment {
  RequestId: string;
  kind: 'create' | 'delete';
  /** Epoch milliseconds the request was accepted. */
  startedAt: number;
  /** What the request ends as once `delayMs` has passed. */
  outcome: 'SUCCEEDED' | 'FAILED';
  FailureReason?: string;
  Status: OperationStatus;
}

export interface PermissionSetRecord {
  Name: string;
  PermissionSetArn: string;
  Description?: string;
  SessionDuration: string;
  /** Epoch seconds, as awsJson timestamps travel. */
  CreatedDate: number;
}

export interface SsoAdminData {
  permissionSets: Record<string, PermissionSetRecord>;
  assignments: Assignment[];
  requests: Record<string, AsyncRequest>;
}

/**
 * "The write API operations have a limit of 15 outstanding asynchronous calls. This limit cannot be
 * increased." (IAM Identity Center throttle limits, https://docs.aws.amazon.com/singlesignon/latest/userguide/limits.html#ssothrottlelimits;
 * the same text in https://docs.aws.amazon.com/IAM/latest/UserGuide/aam-quotas.html). One more write is throttled.
 */
export const MAX_OUTSTANDING_OPERATIONS = 15;

/** `ps-` plus 16 hex characters, the shape AWS's PermissionSetArn pattern asks for. */
const newPermissionSetId = (): string => `ps-${randomBytes(8).toString('hex')}`;

export const emptySsoAdminData = (): SsoAdminData => ({ permissionSets: {}, assignments: [], requests: {} });

export const notFound = (message: string): AwsError => new AwsError('ResourceNotFoundException', message);

const sameAssignment = (a: Assignment, b: Assignment): boolean =>
  a.AccountId === b.AccountId && a.PermissionSetArn === b.PermissionSetArn && a.PrincipalType === b.PrincipalType && a.PrincipalId === b.PrincipalId;

export class SsoAdminModel {
  constructor(
    private readonly data: SsoAdminData,
    private readonly instanceArn: string,
    private readonly delayMs: number,
  ) {}

  /** Adds a permission set by name unless one of that name exists (the emulator's seed); returns it. */
  ensurePermissionSet(name: string, description?: string): PermissionSetRecord {
    const existing = Object.values(this.data.permissionSets).find((set) => set.Name === name);
    if (existing) return existing;
    const instanceId = this.instanceArn.split('/').at(-1) ?? '';
    const record: PermissionSetRecord = {
      Name: name,
      PermissionSetArn: `arn:aws:sso:::permissionSet/${instanceId}/${newPermissionSetId()}`,
      ...(description ? { Description: description } : {}),
      SessionDuration: 'PT1H',
      CreatedDate: Math.floor(Date.now() / 1000),
    };
    this.data.permissionSets[record.PermissionSetArn] = record;
    return record;
  }

  permissionSet(arn: string): PermissionSetRecord {
    const found = this.data.permissionSets[arn];
    if (!found) throw notFound(`Could not find PermissionSet with id ${arn.split('/').at(-1) ?? arn}`);
    return found;
  }

  permissionSetArns(): string[] {
    return Object.keys(this.data.permissionSets).sort();
  }

  /** Moves every request whose delay has passed to its outcome; true when anything changed (save then). */
  settle(now: number): boolean {
    let changed = false;
    for (const request of Object.values(this.data.requests)) {
      if (request.Status !== 'IN_PROGRESS' || now - request.startedAt < this.delayMs) continue;
      request.Status = request.outcome;
      changed = true;
      if (request.outcome === 'FAILED') continue;
      const at = this.data.assignments.findIndex((a) => sameAssignment(a, request));
      if (request.kind === 'create' && at < 0) this.data.assignments.push(pick(request));
      if (request.kind === 'delete' && at >= 0) this.data.assignments.splice(at, 1);
    }
    return changed;
  }

  /**
   * Accepts a create or delete request. Refused while 15 are outstanding (ThrottlingException),
   * while another request on the same assignment is in progress (ConflictException), and a delete
   * of an assignment that does not exist (ResourceNotFoundException). `failure` makes it end FAILED.
   */
  start(kind: AsyncRequest['kind'], target: Assignment, now: number, failure?: string): AsyncRequest {
    this.permissionSet(target.PermissionSetArn);
    const outstanding = Object.values(this.data.requests).filter((request) => request.Status === 'IN_PROGRESS');
    if (outstanding.length >= MAX_OUTSTANDING_OPERATIONS) {
      throw new AwsError('ThrottlingException', `Too many outstanding asynchronous account assignment operations (limit ${MAX_OUTSTANDING_OPERATIONS})`);
    }
    if (outstanding.some((request) => sameAssignment(request, target))) {
      throw new AwsError('ConflictException', 'An account assignment operation on this principal, permission set and account is already in progress');
    }
    if (kind === 'delete' && !this.data.assignments.some((a) => sameAssignment(a, target))) {
      throw notFound(`Account assignment of ${target.PermissionSetArn} to ${target.PrincipalType} ${target.PrincipalId} on ${target.AccountId} does not exist`);
    }
    const request: AsyncRequest = {
      ...pick(target),
      RequestId: randomUUID(),
      kind,
      startedAt: now,
      outcome: failure === undefined ? 'SUCCEEDED' : 'FAILED',
      ...(failure === undefined ? {} : { FailureReason: failure }),
      Status: 'IN_PROGRESS',
    };
    this.data.requests[request.RequestId] = request;
    if (this.delayMs === 0) this.settle(now);
    return request;
  }

  request(kind: AsyncRequest['kind'], requestId: string): AsyncRequest {
    const found = this.data.requests[requestId];
    if (!found || found.kind !== kind) throw notFound(`Could not find account assignment ${kind === 'create' ? 'creation' : 'deletion'} request ${requestId}`);
    return found;
  }

  assignmentsOn(accountId: string, permissionSetArn: string): Assignment[] {
    this.permissionSet(permissionSetArn);
    return this.data.assignments.filter((a) => a.AccountId === accountId && a.PermissionSetArn === permissionSetArn).sort(byKey);
  }

  assignmentsOf(principalType: PrincipalType, principalId: string, accountId?: string): Assignment[] {
    return this.data.assignments
      .filter((a) => a.PrincipalType === principalType && a.PrincipalId === principalId && (accountId === undefined || a.AccountId === accountId))
      .sort(byKey);
  }
}

const pick = ({ AccountId, PermissionSetArn, PrincipalType, PrincipalId }: Assignment): Assignment => ({ AccountId, PermissionSetArn, PrincipalType, PrincipalId });

export const assignmentKey = (a: Assignment): string => `${a.AccountId}|${a.PermissionSetArn}|${a.PrincipalType}|${a.PrincipalId}`;
const byKey = (a: Assignment, b: Assignment): number => assignmentKey(a).localeCompare(assignmentKey(b));

import { createHash } from 'node:crypto';
import type { EC2Client, Filter, Tag } from '@aws-sdk/client-ec2';

import type { Placement, LaunchRequest } from '../../domain/provision/ports.ts';

/** Types, tags and tokens the EC2 workstation adapter (workstation.ts) shares with its launch and retire halves. */

export const TAGS = {
  employeeId: 'gatehouse:employee-id',
  requestId: 'gatehouse:request-id',
  entitlementId: 'gatehouse:entitlement-id',
  managed: 'gatehouse:managed',
} as const;

export const DATA_DEVICE = '/dev/sdf';

/** Tag on snapshots a leaver keeps: lifecycle and cleanup tooling must leave them alone. */
export const RETAIN_TAG = 'gatehouse:retain';

export interface WorkstationDeps {
  client: Pick<EC2Client, 'send'>;
  /** Needed only to launch. */
  placement?: Placement;
}

/** A ClientToken (64 hex chars, EC2's maximum) that is the same for every retry of one request's entitlement. */
/**
 * The RunInstances token of a person's workstation: one per person, profile and employment
 * generation, whichever request (delivery id) asks, so duplicate hires launch one instance
 * and a rehire after a leave launches a new one. 64 hex characters: EC2 allows 64.
 */
export function workstationToken(request: LaunchRequest): string {
  if (request.generation === undefined) return clientToken('instance', request.requestId, request.profile.id);
  return createHash('sha256').update(`gatehouse/instance/${request.employeeId}/${request.profile.id}/${request.generation}`).digest('hex');
}

export function clientToken(purpose: 'instance' | 'data-volume', requestId: string, entitlementId: string): string {
  return createHash('sha256').update(`gatehouse/${purpose}/${requestId}/${entitlementId}`).digest('hex');
}

/** Tags on everything a request creates: ids only, never names (personal data). */
export function requestTags(request: LaunchRequest): Tag[] {
  return [
    { Key: 'Name', Value: `gatehouse-${request.profile.profile}-${request.employeeId}` },
    { Key: TAGS.employeeId, Value: request.employeeId },
    { Key: TAGS.requestId, Value: request.requestId },
    { Key: TAGS.entitlementId, Value: request.profile.id },
    { Key: TAGS.managed, Value: 'true' },
  ];
}

export const requestFilters = (requestId: string): Filter[] => [
  { Name: `tag:${TAGS.requestId}`, Values: [requestId] },
  { Name: `tag:${TAGS.managed}`, Values: ['true'] },
];

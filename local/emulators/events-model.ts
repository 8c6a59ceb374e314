import { z } from 'zod';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../core/arn.ts';
import { INPUT_PATH } from './events-delivery.ts';

/** Persisted EventBridge state and the request schemas of the emulated operations. */

export interface StoredTarget {
  Id: string;
  Arn: string;
  RoleArn?: string;
  Input?: string;
  InputPath?: string;
}
export interface StoredRule {
  Name: string;
  EventBusName: string;
  EventPattern?: string;
  ScheduleExpression?: string;
  State: string;
  Description?: string;
  RoleArn?: string;
  Targets: StoredTarget[];
}
export interface StoredBus {
  Name: string;
  Description?: string;
  CreationTime: number;
  LastModifiedTime: number;
}
export interface EventsState {
  buses: Record<string, StoredBus>;
  /** Keyed `<bus>/<rule name>`. */
  rules: Record<string, StoredRule>;
}

export const MAX_TARGETS_PER_RULE = 5;
export const MAX_PUT_EVENTS_BYTES = 256 * 1024;
const arnPrefix = `arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}`;
export const busArn = (bus: string): string => `${arnPrefix}:event-bus/${bus}`;
export const ruleArn = (bus: string, name: string): string => `${arnPrefix}:rule/${bus === 'default' ? '' : `${bus}/`}${name}`;
/** EventBusName members accept a name or an ARN. */
export const busName = (ref: string | undefined): string => (ref?.startsWith('arn:') ? ref.split(':event-bus/')[1] ?? ref : ref ?? 'default');
export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

const name64 = z.string().regex(/^[.\-_A-Za-z0-9]{1,64}$/, 'Member must have length 1..64 and match [\\.\\-_A-Za-z0-9]+');
const busRef = z.string().min(1).max(1600).optional();
const limit = z.number().int().min(1).max(100).optional();
/** NextToken of ListRules / ListTargetsByRule: 1 to 2048 characters (the service model). */
const nextToken = z.string().min(1).max(2048).optional();
const targetSchema = z.object({
  Id: name64,
  Arn: z.string().min(1).max(1600),
  RoleArn: z.string().min(1).optional(),
  Input: z.string().max(8192).optional(),
  InputPath: z.string().max(256).regex(INPUT_PATH, 'Member must be a JSONPath such as $.detail.id').optional(),
});
export const schemas = {
  putRule: z.object({
    Name: name64,
    EventPattern: z.string().max(4096).optional(),
    ScheduleExpression: z.string().max(256).optional(),
    State: z.enum(['ENABLED', 'DISABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS']).optional(),
    Description: z.string().max(512).optional(),
    RoleArn: z.string().optional(),
    EventBusName: busRef,
  }),
  ruleRef: z.object({ Name: name64, EventBusName: busRef, Force: z.boolean().optional() }),
  listRules: z.object({ NamePrefix: z.string().max(64).optional(), EventBusName: busRef, NextToken: nextToken, Limit: limit }),
  putTargets: z.object({ Rule: name64, EventBusName: busRef, Targets: z.array(targetSchema).min(1).max(10) }),
  removeTargets: z.object({ Rule: name64, EventBusName: busRef, Ids: z.array(name64).min(1).max(100), Force: z.boolean().optional() }),
  listTargets: z.object({ Rule: name64, EventBusName: busRef, NextToken: nextToken, Limit: limit }),
  createBus: z.object({
    Name: z.string().regex(/^[.\-_A-Za-z0-9]{1,256}$/, 'Member must have length 1..256 and match [\\.\\-_A-Za-z0-9]+'),
    Description: z.string().max(512).optional(),
  }),
  describeBus: z.object({ Name: busRef }),
  putEvents: z.object({ Entries: z.array(z.record(z.string(), z.unknown())).min(1).max(10), EndpointId: z.string().optional() }),
};


import { SCHEDULER_SERVICE_PRINCIPAL, type TrustPolicy } from '../../infra/spec/scheduler-trust.ts';
import { LOCAL_ACCOUNT } from '../core/arn.ts';
import { AwsError, validationError } from '../core/aws-error.ts';
import { stateFile, type Emulator, type EmulatorContext } from '../core/emulator.ts';
import { restJsonService, type RestRoute } from '../core/protocols.ts';
import { systemClock, type EmulatorClock } from '../core/emulator-clock.ts';
import { JsonStore } from '../core/store.ts';
import { mayAssumeRole } from '../core/trust-policy.ts';
import { paginate } from '../core/pagination.ts';
import { parseInput } from './input.ts';
import {
  createGroupSchema,
  groupArn,
  listGroupsSchema,
  listSchedulesSchema,
  nameSchema,
  scheduleArn,
  scheduleBodySchema,
  checkScheduleBody,
  checkScheduleExpression,
  nextFiring,
  type ScheduleBody,
  type SchedulerState,
  type StoredGroup,
  type StoredSchedule,
} from './scheduler-model.ts';
import { ScheduleRunner } from './scheduler-runner.ts';
import type { TargetPorts } from './targets.ts';

/**
 * EventBridge Scheduler (restJson1). One-time `at()` and recurring `rate()` / `cron()` schedules
 * fire on the emulator's clock (schedule-occurrences.ts says when); a FLEXIBLE time window
 * invokes at a random moment within the window.
 */
export interface SchedulerOptions {
  targets: TargetPorts;
  /** The clock schedules fire on (default the system clock); tests pass a compressed one. */
  clock?: EmulatorClock;
  /** Picks the moment within a FLEXIBLE window, in [0, 1) (default Math.random). */
  random?: () => number;
  /** Waits between delivery attempts of a due schedule (default 1 s, 4 s, 15 s). */
  retryDelaysMs?: readonly number[];
  /**
   * Role ARN -> trust policy of the roles schedules may name. When given, every delivery first
   * assumes the schedule's role as Scheduler does (service scheduler.amazonaws.com, aws:SourceArn =
   * the schedule GROUP's ARN, aws:SourceAccount); an unknown or untrusting role fails the
   * invocation (CreateSchedule does not check it, as on AWS).
   */
  roles?: Record<string, TrustPolicy>;
}

const DEFAULT_GROUP = 'default';

/** The AccessDenied a schedule's invocation fails with when its role does not trust Scheduler for its group. */
function assumeScheduleRole(roles: Record<string, TrustPolicy>, schedule: StoredSchedule): Error | undefined {
  const roleArn = schedule.Target.RoleArn;
  const policy = roles[roleArn];
  const context = { 'aws:SourceArn': groupArn(schedule.GroupName), 'aws:SourceAccount': LOCAL_ACCOUNT };
  if (policy && mayAssumeRole(policy, { service: SCHEDULER_SERVICE_PRINCIPAL, context })) return undefined;
  const why = policy ? `its trust policy does not allow ${SCHEDULER_SERVICE_PRINCIPAL} for ${context['aws:SourceArn']}` : 'the role does not exist';
  return new AwsError('AccessDeniedException', `Scheduler could not assume ${roleArn}: ${why}`, 403);
}
const seconds = (ms: number): number => Math.floor(ms / 1000);
const notFound = (what: string): AwsError => new AwsError('ResourceNotFoundException', `${what} does not exist.`, 404);
const conflict = (what: string): AwsError => new AwsError('ConflictException', `${what} already exists.`, 409);
const invalidToken = (): AwsError => validationError('NextToken is not valid.');
/** Optional query members: absent parameters stay undefined so zod defaults apply. */
const queryObject = (query: URLSearchParams, names: string[]): Record<string, string | undefined> =>
  Object.fromEntries(names.map((name) => [name, query.get(name) ?? undefined]));

export function createSchedulerEmulator(ctx: EmulatorContext, options: SchedulerOptions): Emulator {
  const clock = options.clock ?? systemClock;
  const now = (): number => clock.now();
  const random = options.random ?? Math.random;
  const store = new JsonStore<SchedulerState>(stateFile(ctx, 'scheduler'), () => ({ groups: {}, schedules: {} }));
  const state = store.data;
  if (!state.groups[DEFAULT_GROUP]) {
    state.groups[DEFAULT_GROUP] = { Name: DEFAULT_GROUP, CreationDate: seconds(now()), LastModificationDate: seconds(now()) };
    store.save();
  }
  const roles = options.roles;
  const runner = new ScheduleRunner({
    store,
    targets: options.targets,
    clock,
    random,
    retryDelaysMs: options.retryDelaysMs ?? [1000, 4000, 15_000],
    ...(roles ? { authorize: (schedule: StoredSchedule) => assumeScheduleRole(roles, schedule) } : {}),
  });

  const requireGroup = (name: string): StoredGroup => {
    const group = state.groups[name];
    if (!group) throw notFound(`Schedule group ${name}`);
    return group;
  };
  /** ClientTokens of deletions already done (this run), so a retried DeleteSchedule succeeds again. */
  const deletedBy = new Map<string, string>();
  const requireSchedule = (group: string, name: string): StoredSchedule => {
    requireGroup(group);
    const schedule = state.schedules[`${group}/${name}`];
    if (!schedule) throw notFound(`Schedule ${name}`);
    return schedule;
  };

  /**
   * Builds the stored schedule from a Create/Update body; `previous` keeps CreationDate and, if
   * its next time is unchanged, its firing (so an edit never fires a schedule twice).
   */
  const toStored = (name: string, body: ScheduleBody, previous?: StoredSchedule): StoredSchedule => {
    checkScheduleBody(body);
    checkScheduleExpression(body);
    const anchorMs = now();
    const first = nextFiring(body, anchorMs, anchorMs, random);
    const kept = previous?.firing && previous.firing.dueAt === first?.dueAt ? previous.firing : undefined;
    const firing = kept ?? first;
    const { GroupName, State, ActionAfterCompletion, ...rest } = body;
    return {
      anchorMs,
      ...rest,
      Name: name,
      GroupName: GroupName ?? DEFAULT_GROUP,
      State: State ?? 'ENABLED',
      ActionAfterCompletion: ActionAfterCompletion ?? 'NONE',
      CreationDate: previous?.CreationDate ?? seconds(now()),
      LastModificationDate: seconds(now()),
      ...(firing ? { firing } : {}),
    };
  };

  const describe = ({ firing: _firing, ClientToken: _token, anchorMs: _anchor, ...schedule }: StoredSchedule) => ({
    ...schedule,
    Arn: scheduleArn(schedule.GroupName, schedule.Name),
  });
  const describeGroup = (group: StoredGroup) => ({
    Arn: groupArn(group.Name),
    Name: group.Name,
    State: 'ACTIVE',
    CreationDate: group.CreationDate,
    LastModificationDate: group.LastModificationDate,
  });

  const routes: RestRoute[] = [
    {
      method: 'POST',
      path: '/schedules/{Name}',
      operation: 'CreateSchedule',
      handle: ({ params, body }) => {
        const name = parseInput(nameSchema, params.Name);
        const req = parseInput(scheduleBodySchema, body);
        const group = req.GroupName ?? DEFAULT_GROUP;
        requireGroup(group);
        const key = `${group}/${name}`;
        const existing = state.schedules[key];
        // A retried call carries the same ClientToken: answer as the first one did.
        if (existing && req.ClientToken !== undefined && existing.ClientToken === req.ClientToken) return { ScheduleArn: scheduleArn(group, name) };
        if (existing) throw conflict(`Schedule ${name}`);
        state.schedules[key] = toStored(name, req);
        store.save();
        runner.sync(key);
        return { ScheduleArn: scheduleArn(group, name) };
      },
    },
    {
      method: 'GET',
      path: '/schedules/{Name}',
      operation: 'GetSchedule',
      handle: ({ params, query }) => describe(requireSchedule(query.get('groupName') ?? DEFAULT_GROUP, params.Name ?? '')),
    },
    {
      method: 'PUT',
      path: '/schedules/{Name}',
      operation: 'UpdateSchedule',
      handle: ({ params, body }) => {
        const name = parseInput(nameSchema, params.Name);
        const req = parseInput(scheduleBodySchema, body);
        const group = req.GroupName ?? DEFAULT_GROUP;
        const previous = requireSchedule(group, name);
        const key = `${group}/${name}`;
        state.schedules[key] = { ...toStored(name, req, previous), ClientToken: previous.ClientToken };
        store.save();
        runner.sync(key);
        return { ScheduleArn: scheduleArn(group, name) };
      },
    },
    {
      method: 'DELETE',
      path: '/schedules/{Name}',
      operation: 'DeleteSchedule',
      handle: ({ params, query }) => {
        const group = query.get('groupName') ?? DEFAULT_GROUP;
        const key = `${group}/${params.Name ?? ''}`;
        const token = query.get('clientToken');
        if (token !== null && deletedBy.get(token) === key && !state.schedules[key]) return {};
        requireSchedule(group, params.Name ?? '');
        delete state.schedules[key];
        store.save();
        runner.disarm(key);
        if (token !== null) deletedBy.set(token, key);
        return {};
      },
    },
    {
      method: 'GET',
      path: '/schedules',
      operation: 'ListSchedules',
      handle: ({ query }) => {
        const req = parseInput(listSchedulesSchema, queryObject(query, ['ScheduleGroup', 'NamePrefix', 'State', 'NextToken', 'MaxResults']));
        if (req.ScheduleGroup !== undefined) requireGroup(req.ScheduleGroup);
        const keyOf = (s: StoredSchedule): string => `${s.GroupName}/${s.Name}`;
        const matching = Object.values(state.schedules)
          .filter((s) => (req.ScheduleGroup === undefined || s.GroupName === req.ScheduleGroup) && s.Name.startsWith(req.NamePrefix ?? ''))
          .filter((s) => req.State === undefined || s.State === req.State)
          .sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1));
        const page = paginate(matching, { scope: 'ListSchedules', maxResults: req.MaxResults, nextToken: req.NextToken, invalidToken, resumeAfter: { key: keyOf } });
        const Schedules = page.items.map((s) => ({
          Arn: scheduleArn(s.GroupName, s.Name),
          Name: s.Name,
          GroupName: s.GroupName,
          State: s.State,
          CreationDate: s.CreationDate,
          LastModificationDate: s.LastModificationDate,
          Target: { Arn: s.Target.Arn },
        }));
        return { Schedules, NextToken: page.nextToken };
      },
    },
    {
      method: 'POST',
      path: '/schedule-groups/{Name}',
      operation: 'CreateScheduleGroup',
      handle: ({ params, body }) => {
        const name = parseInput(nameSchema, params.Name);
        const req = parseInput(createGroupSchema, body);
        const existing = state.groups[name];
        if (existing && req.ClientToken !== undefined && existing.ClientToken === req.ClientToken) return { ScheduleGroupArn: groupArn(name) };
        if (existing) throw conflict(`Schedule group ${name}`);
        state.groups[name] = { Name: name, CreationDate: seconds(now()), LastModificationDate: seconds(now()), ClientToken: req.ClientToken };
        store.save();
        return { ScheduleGroupArn: groupArn(name) };
      },
    },
    {
      method: 'GET',
      path: '/schedule-groups/{Name}',
      operation: 'GetScheduleGroup',
      handle: ({ params }) => describeGroup(requireGroup(params.Name ?? '')),
    },
    {
      method: 'DELETE',
      path: '/schedule-groups/{Name}',
      operation: 'DeleteScheduleGroup',
      handle: ({ params }) => {
        const group = requireGroup(params.Name ?? '');
        if (group.Name === DEFAULT_GROUP) throw validationError('The default schedule group cannot be deleted.');
        delete state.groups[group.Name];
        for (const [key, schedule] of Object.entries(state.schedules)) {
          if (schedule.GroupName !== group.Name) continue;
          delete state.schedules[key];
          runner.disarm(key);
        }
        store.save();
        return {};
      },
    },
    {
      method: 'GET',
      path: '/schedule-groups',
      operation: 'ListScheduleGroups',
      handle: ({ query }) => {
        const req = parseInput(listGroupsSchema, queryObject(query, ['NamePrefix', 'NextToken', 'MaxResults']));
        const groups = Object.values(state.groups)
          .filter((g) => g.Name.startsWith(req.NamePrefix ?? ''))
          .sort((a, b) => (a.Name < b.Name ? -1 : 1));
        const page = paginate(groups, { scope: 'ListScheduleGroups', maxResults: req.MaxResults, nextToken: req.NextToken, invalidToken, resumeAfter: { key: (g) => g.Name } });
        return { ScheduleGroups: page.items.map(describeGroup), NextToken: page.nextToken };
      },
    },
  ];

  runner.start();
  return {
    service: 'scheduler',
    handler: restJsonService({ service: 'scheduler', routes, faults: ctx.faults }),
    stop: () => runner.stop(),
  };
}

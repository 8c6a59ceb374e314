import { LOCAL_ACCOUNT } from '../core/arn.ts';
import { AwsError, validationError } from '../core/aws-error.ts';
import { stateFile, type Emulator, type EmulatorContext } from '../core/emulator.ts';
import { awsJsonService } from '../core/protocols.ts';
import { JsonStore } from '../core/store.ts';
import { EventPatternError, parseEventPattern, validateEventPattern } from './event-pattern.ts';
import { buildEnvelope, deliverEvent, EntryError, entrySize, type EventEnvelope } from './events-delivery.ts';
import {
  busArn,
  busName,
  MAX_PUT_EVENTS_BYTES,
  MAX_TARGETS_PER_RULE,
  nowSeconds,
  ruleArn,
  schemas,
  type EventsState,
  type StoredBus,
  type StoredRule,
} from './events-model.ts';
import { paginate } from '../core/pagination.ts';
import { parseInput } from './input.ts';
import type { TargetPorts } from './targets.ts';

/** A rule of the stack itself, seeded at start (as `cdk deploy` would create it). */
export interface EventRule {
  name: string;
  eventBusName: string;
  eventPattern: object;
  targets: { id: string; arn: string; input?: string; inputPath?: string }[];
}

/** The EventBridge emulator, which AWS services of the local cloud (EC2) also publish to. */
export interface EventBridgeEmulator extends Emulator {
  /** Events an AWS service sends to the default bus (no PutEvents: `aws.*` sources are AWS's own). */
  publishToDefaultBus(events: Omit<EventEnvelope, 'version'>[]): Promise<void>;
}

export interface EventBridgeOptions {
  rules: EventRule[];
  targets: TargetPorts;
}

const invalidToken = (): AwsError => validationError('The NextToken is not valid.');

export function createEventBridgeEmulator(ctx: EmulatorContext, options: EventBridgeOptions): EventBridgeEmulator {
  const store = new JsonStore<EventsState>(stateFile(ctx, 'events'), () => ({ buses: {}, rules: {} }));
  const state = store.data;

  const ensureBus = (name: string, description?: string): void => {
    if (state.buses[name]) return;
    const now = nowSeconds();
    state.buses[name] = { Name: name, Description: description, CreationTime: now, LastModifiedTime: now };
  };
  const requireBus = (name: string): StoredBus => {
    const bus = state.buses[name];
    if (!bus) throw new AwsError('ResourceNotFoundException', `Event bus ${name} does not exist.`);
    return bus;
  };
  const requireRule = (name: string, bus: string): StoredRule => {
    const rule = state.rules[`${bus}/${name}`];
    if (!rule) throw new AwsError('ResourceNotFoundException', `Rule ${name} does not exist on EventBus ${bus}.`);
    return rule;
  };

  // The stack's own rules are (re)applied at every start, like a deploy; rules added through the API stay.
  ensureBus('default');
  for (const seed of options.rules) {
    validateEventPattern(seed.eventPattern);
    ensureBus(seed.eventBusName);
    state.rules[`${seed.eventBusName}/${seed.name}`] = {
      Name: seed.name,
      EventBusName: seed.eventBusName,
      EventPattern: JSON.stringify(seed.eventPattern),
      State: 'ENABLED',
      Targets: seed.targets.map((t) => ({ Id: t.id, Arn: t.arn, Input: t.input, InputPath: t.inputPath })),
    };
  }
  store.save();

  const describe = (rule: StoredRule) => ({
    Name: rule.Name,
    Arn: ruleArn(rule.EventBusName, rule.Name),
    EventPattern: rule.EventPattern,
    ScheduleExpression: rule.ScheduleExpression,
    State: rule.State,
    Description: rule.Description,
    RoleArn: rule.RoleArn,
    EventBusName: rule.EventBusName,
  });

  const routeRules = (bus: string) =>
    Object.values(state.rules)
      .filter((rule) => rule.EventBusName === bus && rule.State !== 'DISABLED' && rule.EventPattern !== undefined)
      .sort((a, b) => a.Name.localeCompare(b.Name))
      .map((rule) => ({ name: rule.Name, pattern: parseEventPattern(rule.EventPattern ?? '{}'), targets: rule.Targets }));

  const operations = {
    PutRule(input: unknown) {
      const req = parseInput(schemas.putRule, input);
      const bus = busName(req.EventBusName);
      requireBus(bus);
      if (req.EventPattern === undefined && req.ScheduleExpression === undefined) {
        throw validationError('Parameter(s) EventPattern or ScheduleExpression must be specified.');
      }
      if (req.EventPattern !== undefined) {
        try {
          parseEventPattern(req.EventPattern);
        } catch (error) {
          if (error instanceof EventPatternError) throw new AwsError('InvalidEventPatternException', error.message);
          throw error;
        }
      }
      const key = `${bus}/${req.Name}`;
      state.rules[key] = {
        Name: req.Name,
        EventBusName: bus,
        EventPattern: req.EventPattern,
        ScheduleExpression: req.ScheduleExpression,
        State: req.State ?? 'ENABLED',
        Description: req.Description,
        RoleArn: req.RoleArn,
        Targets: state.rules[key]?.Targets ?? [],
      };
      store.save();
      return { RuleArn: ruleArn(bus, req.Name) };
    },
    DescribeRule(input: unknown) {
      const req = parseInput(schemas.ruleRef, input);
      return { ...describe(requireRule(req.Name, busName(req.EventBusName))), CreatedBy: LOCAL_ACCOUNT };
    },
    ListRules(input: unknown) {
      const req = parseInput(schemas.listRules, input);
      const bus = busName(req.EventBusName);
      requireBus(bus);
      const rules = Object.values(state.rules)
        .filter((rule) => rule.EventBusName === bus && rule.Name.startsWith(req.NamePrefix ?? ''))
        .sort((a, b) => (a.Name < b.Name ? -1 : 1));
      const page = paginate(rules, { scope: 'ListRules', maxResults: req.Limit, nextToken: req.NextToken, invalidToken, resumeAfter: { key: (rule) => rule.Name } });
      return { Rules: page.items.map(describe), NextToken: page.nextToken };
    },
    DeleteRule(input: unknown) {
      const req = parseInput(schemas.ruleRef, input);
      const key = `${busName(req.EventBusName)}/${req.Name}`;
      const rule = state.rules[key];
      if (!rule) return {}; // AWS: deleting a rule that is gone succeeds.
      if (rule.Targets.length > 0) throw validationError("Rule can't be deleted since it has targets.");
      delete state.rules[key];
      store.save();
      return {};
    },
    PutTargets(input: unknown) {
      const req = parseInput(schemas.putTargets, input);
      const rule = requireRule(req.Rule, busName(req.EventBusName));
      for (const target of req.Targets) {
        if (target.Input !== undefined && target.InputPath !== undefined) {
          throw validationError(`Target ${target.Id}: only one of Input, InputPath or InputTransformer may be set.`);
        }
        if (target.Input !== undefined) {
          try {
            JSON.parse(target.Input);
          } catch {
            throw validationError(`Target ${target.Id}: Input is not valid JSON.`);
          }
        }
      }
      const byId = new Map(rule.Targets.map((t) => [t.Id, t]));
      for (const target of req.Targets) byId.set(target.Id, target);
      if (byId.size > MAX_TARGETS_PER_RULE) {
        throw new AwsError('LimitExceededException', `A rule can have at most ${MAX_TARGETS_PER_RULE} targets.`);
      }
      rule.Targets = [...byId.values()];
      store.save();
      return { FailedEntryCount: 0, FailedEntries: [] };
    },
    RemoveTargets(input: unknown) {
      const req = parseInput(schemas.removeTargets, input);
      const rule = requireRule(req.Rule, busName(req.EventBusName));
      rule.Targets = rule.Targets.filter((t) => !req.Ids.includes(t.Id));
      store.save();
      return { FailedEntryCount: 0, FailedEntries: [] };
    },
    ListTargetsByRule(input: unknown) {
      const req = parseInput(schemas.listTargets, input);
      const rule = requireRule(req.Rule, busName(req.EventBusName));
      const targets = [...rule.Targets].sort((a, b) => (a.Id < b.Id ? -1 : 1));
      const page = paginate(targets, { scope: 'ListTargetsByRule', maxResults: req.Limit, nextToken: req.NextToken, invalidToken, resumeAfter: { key: (t) => t.Id } });
      return { Targets: page.items, NextToken: page.nextToken };
    },
    CreateEventBus(input: unknown) {
      const req = parseInput(schemas.createBus, input);
      if (state.buses[req.Name]) throw new AwsError('ResourceAlreadyExistsException', `Event bus ${req.Name} already exists.`);
      ensureBus(req.Name, req.Description);
      store.save();
      return { EventBusArn: busArn(req.Name), Description: req.Description };
    },
    DescribeEventBus(input: unknown) {
      const req = parseInput(schemas.describeBus, input);
      const bus = requireBus(busName(req.Name));
      return { ...bus, Arn: busArn(bus.Name) };
    },
    async PutEvents(input: unknown) {
      const req = parseInput(schemas.putEvents, input);
      const total = req.Entries.reduce((sum, entry) => sum + entrySize(entry), 0);
      if (total > MAX_PUT_EVENTS_BYTES) throw validationError('Total size of the entries in the request is over the limit.');
      const accepted: { bus: string; event: EventEnvelope }[] = [];
      const Entries = req.Entries.map((entry) => {
        try {
          const bus = busName(typeof entry.EventBusName === 'string' ? entry.EventBusName : undefined);
          // AWS accepts events for a missing bus and drops them; the local cloud reports them instead.
          if (!state.buses[bus]) throw new EntryError('ResourceNotFoundException', `Event bus ${bus} does not exist.`);
          const event = buildEnvelope(entry, Date.now());
          accepted.push({ bus, event });
          return { EventId: event.id };
        } catch (error) {
          if (!(error instanceof EntryError)) throw error;
          return { ErrorCode: error.code, ErrorMessage: error.message };
        }
      });
      // Delivered before answering, so a test or caller that got the reply sees the effect.
      for (const { bus, event } of accepted) await deliverEvent(options.targets, routeRules(bus), event);
      return { FailedEntryCount: Entries.filter((e) => 'ErrorCode' in e).length, Entries };
    },
  };

  return {
    service: 'events',
    handler: awsJsonService({ service: 'events', targetPrefix: 'AWSEvents', jsonVersion: '1.1', operations, faults: ctx.faults }),
    async publishToDefaultBus(events) {
      for (const event of events) await deliverEvent(options.targets, routeRules('default'), { version: '0', ...event });
    },
  };
}

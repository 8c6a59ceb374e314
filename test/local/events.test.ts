import {
  CreateEventBusCommand,
  DeleteRuleCommand,
  DescribeEventBusCommand,
  DescribeRuleCommand,
  EventBridgeClient,
  InvalidEventPatternException,
  LimitExceededException,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  ThrottlingException,
} from '@aws-sdk/client-eventbridge';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FaultInjector } from '../../local/core/faults.ts';
import { createEventBridgeEmulator, type EventRule } from '../../local/emulators/events.ts';
import type { TargetPorts } from '../../local/emulators/targets.ts';
import { clientConfig, noFaults, serve } from '../support/emulator.ts';

interface Call {
  kind: 'invoke' | 'start';
  arn: string;
  payload: unknown;
}

function recordingTargets(): { calls: Call[]; targets: TargetPorts } {
  const calls: Call[] = [];
  return {
    calls,
    targets: {
      invokeFunction: (arn, payload) => {
        calls.push({ kind: 'invoke', arn, payload });
        return Promise.resolve();
      },
      startExecution: (arn, input) => {
        calls.push({ kind: 'start', arn, payload: JSON.parse(input) as unknown });
        return Promise.resolve();
      },
    },
  };
}

const ROUTER = 'arn:aws:lambda:us-east-1:000000000000:function:gatehouse-event-router';
const LEAVER = 'arn:aws:states:us-east-1:000000000000:stateMachine:gatehouse-leaver';
const seededRules: EventRule[] = [
  {
    name: 'hires',
    eventBusName: 'gatehouse',
    eventPattern: { source: ['gatehouse.hris'], 'detail-type': ['employee.hired'] },
    targets: [{ id: 'router', arn: ROUTER }],
  },
  {
    name: 'leavers',
    eventBusName: 'gatehouse',
    eventPattern: { source: ['gatehouse.hris'], 'detail-type': ['employee.left'], detail: { vendor: [{ prefix: 'Bamboo' }] } },
    targets: [{ id: 'leaver', arn: LEAVER, inputPath: '$.detail' }],
  },
];

const { calls, targets } = recordingTargets();
const stateDir = mkdtempSync(join(tmpdir(), 'gatehouse-events-'));
const endpoint = await serve(createEventBridgeEmulator({ stateDir, faults: noFaults() }, { rules: seededRules, targets }));
const client = new EventBridgeClient(clientConfig(endpoint, 1));

const hired = (detail: object = { employeeId: 'E-1' }) => ({
  Source: 'gatehouse.hris',
  DetailType: 'employee.hired',
  Detail: JSON.stringify(detail),
  EventBusName: 'gatehouse',
});

beforeEach(() => {
  calls.length = 0;
});

describe('EventBridge PutEvents routing', () => {
  it('delivers a matching event to a Lambda target in the EventBridge envelope', async () => {
    const time = new Date('2026-11-02T09:30:00Z');
    const out = await client.send(new PutEventsCommand({ Entries: [{ ...hired(), Time: time, Resources: ['r1'] }] }));
    expect(out.FailedEntryCount).toBe(0);
    expect(calls).toEqual([
      {
        kind: 'invoke',
        arn: ROUTER,
        payload: {
          version: '0',
          id: out.Entries?.[0]?.EventId,
          'detail-type': 'employee.hired',
          source: 'gatehouse.hris',
          account: '000000000000',
          time: '2026-11-02T09:30:00Z',
          region: 'us-east-1',
          resources: ['r1'],
          detail: { employeeId: 'E-1' },
        },
      },
    ]);
  });

  it('starts a state machine with the InputPath selection, and skips rules that do not match', async () => {
    const left = { Source: 'gatehouse.hris', DetailType: 'employee.left', EventBusName: 'gatehouse' };
    await client.send(
      new PutEventsCommand({
        Entries: [
          { ...left, Detail: JSON.stringify({ vendor: 'BambooHR', employeeId: 'E-2' }) },
          { ...left, Detail: JSON.stringify({ vendor: 'HiBob', employeeId: 'E-3' }) },
          { ...hired(), Source: 'someone.else' },
          { ...hired(), EventBusName: undefined },
        ],
      }),
    );
    expect(calls).toEqual([{ kind: 'start', arn: LEAVER, payload: { vendor: 'BambooHR', employeeId: 'E-2' } }]);
  });

  it('reports bad entries one by one and still delivers the good ones', async () => {
    const out = await client.send(
      new PutEventsCommand({
        Entries: [
          hired(),
          { ...hired(), Source: undefined },
          { ...hired(), Detail: '{not json' },
          { ...hired(), EventBusName: 'nope' },
        ],
      }),
    );
    expect(out.FailedEntryCount).toBe(3);
    expect(out.Entries?.map((e) => e.ErrorCode)).toEqual([undefined, 'InvalidArgument', 'MalformedDetail', 'ResourceNotFoundException']);
    expect(out.Entries?.[1]?.ErrorMessage).toMatch(/Source/);
    expect(calls).toHaveLength(1);
  });

  it('refuses more than 10 entries and more than 256 KB', async () => {
    await expect(client.send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => hired()) }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
    const big = { ...hired(), Detail: JSON.stringify({ blob: 'x'.repeat(140 * 1024) }) };
    await expect(client.send(new PutEventsCommand({ Entries: [big, big] }))).rejects.toMatchObject({ name: 'ValidationException' });
    expect(calls).toHaveLength(0);
  });

  it('logs a failed delivery without failing PutEvents', async () => {
    const failing: TargetPorts = { invokeFunction: () => Promise.reject(new Error('boom')), startExecution: () => Promise.resolve() };
    const url = await serve(createEventBridgeEmulator({ faults: noFaults() }, { rules: seededRules, targets: failing }));
    const other = new EventBridgeClient(clientConfig(url, 1));
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const out = await other.send(new PutEventsCommand({ Entries: [hired()] }));
      expect(out.FailedEntryCount).toBe(0);
      expect(logged).toHaveBeenCalledWith(expect.stringContaining(`could not deliver event ${out.Entries?.[0]?.EventId}`), expect.any(Error));
    } finally {
      logged.mockRestore();
    }
  });
});

describe('EventBridge rules and targets', () => {
  const pattern = JSON.stringify({ source: ['gatehouse.demo'], detail: { grant: [{ exists: true }] } });

  it('PutRule + PutTargets route new events; ListRules / DescribeRule / ListTargetsByRule show them', async () => {
    const { RuleArn } = await client.send(new PutRuleCommand({ Name: 'grants', EventBusName: 'gatehouse', EventPattern: pattern }));
    expect(RuleArn).toBe('arn:aws:events:us-east-1:000000000000:rule/gatehouse/grants');
    await client.send(
      new PutTargetsCommand({ Rule: 'grants', EventBusName: 'gatehouse', Targets: [{ Id: 'fixed', Arn: ROUTER, Input: '{"fixed":true}' }] }),
    );
    await client.send(
      new PutEventsCommand({ Entries: [{ Source: 'gatehouse.demo', DetailType: 'x', Detail: '{"grant":"g1"}', EventBusName: 'gatehouse' }] }),
    );
    expect(calls).toEqual([{ kind: 'invoke', arn: ROUTER, payload: { fixed: true } }]);

    const rule = await client.send(new DescribeRuleCommand({ Name: 'grants', EventBusName: 'gatehouse' }));
    expect(rule).toMatchObject({ Name: 'grants', EventPattern: pattern, State: 'ENABLED', EventBusName: 'gatehouse', Arn: RuleArn });
    const listed = await client.send(new ListRulesCommand({ EventBusName: 'gatehouse' }));
    expect(listed.Rules?.map((r) => r.Name)).toEqual(['grants', 'hires', 'leavers']);
    const page = await client.send(new ListRulesCommand({ EventBusName: 'gatehouse', Limit: 2 }));
    const rest = await client.send(new ListRulesCommand({ EventBusName: 'gatehouse', Limit: 2, NextToken: page.NextToken }));
    expect([...(page.Rules ?? []), ...(rest.Rules ?? [])].map((r) => r.Name)).toEqual(['grants', 'hires', 'leavers']);
    expect(rest.NextToken).toBeUndefined();
    const byPrefix = await client.send(new ListRulesCommand({ EventBusName: 'gatehouse', NamePrefix: 'h' }));
    expect(byPrefix.Rules?.map((r) => r.Name)).toEqual(['hires']);
    const targetsOut = await client.send(new ListTargetsByRuleCommand({ Rule: 'grants', EventBusName: 'gatehouse' }));
    expect(targetsOut.Targets).toEqual([{ Id: 'fixed', Arn: ROUTER, Input: '{"fixed":true}' }]);
  });

  it('a DISABLED rule routes nothing', async () => {
    await client.send(new PutRuleCommand({ Name: 'grants', EventBusName: 'gatehouse', EventPattern: pattern, State: 'DISABLED' }));
    await client.send(
      new PutEventsCommand({ Entries: [{ Source: 'gatehouse.demo', DetailType: 'x', Detail: '{"grant":"g1"}', EventBusName: 'gatehouse' }] }),
    );
    expect(calls).toHaveLength(0);
  });

  it('DeleteRule refuses a rule with targets, then works after RemoveTargets, and is idempotent', async () => {
    await expect(client.send(new DeleteRuleCommand({ Name: 'grants', EventBusName: 'gatehouse' }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
    const removed = await client.send(new RemoveTargetsCommand({ Rule: 'grants', EventBusName: 'gatehouse', Ids: ['fixed'] }));
    expect(removed.FailedEntryCount).toBe(0);
    await client.send(new DeleteRuleCommand({ Name: 'grants', EventBusName: 'gatehouse' }));
    await client.send(new DeleteRuleCommand({ Name: 'grants', EventBusName: 'gatehouse' }));
    await expect(client.send(new DescribeRuleCommand({ Name: 'grants', EventBusName: 'gatehouse' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it('rejects invalid patterns, unknown buses and rules, bad targets and too many targets', async () => {
    await expect(
      client.send(new PutRuleCommand({ Name: 'bad', EventBusName: 'gatehouse', EventPattern: '{"source":"x"}' })),
    ).rejects.toBeInstanceOf(InvalidEventPatternException);
    await expect(client.send(new PutRuleCommand({ Name: 'bad', EventBusName: 'gatehouse' }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
    await expect(client.send(new PutRuleCommand({ Name: 'r', EventBusName: 'nope', EventPattern: pattern }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    await expect(client.send(new PutRuleCommand({ Name: 'bad name!', EventPattern: pattern }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('Name') as unknown,
    });
    await expect(client.send(new ListTargetsByRuleCommand({ Rule: 'nope', EventBusName: 'gatehouse' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    await expect(client.send(new RemoveTargetsCommand({ Rule: 'nope', Ids: ['a'] }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(
      client.send(new PutTargetsCommand({ Rule: 'hires', EventBusName: 'gatehouse', Targets: [{ Id: 't', Arn: ROUTER, Input: '{', InputPath: '$' }] })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(client.send(new PutTargetsCommand({ Rule: 'nope', Targets: [{ Id: 't', Arn: ROUTER }] }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    const many = Array.from({ length: 5 }, (_, i) => ({ Id: `t${i}`, Arn: ROUTER }));
    await expect(client.send(new PutTargetsCommand({ Rule: 'hires', EventBusName: 'gatehouse', Targets: many }))).rejects.toBeInstanceOf(
      LimitExceededException,
    );
    await expect(client.send(new ListRulesCommand({ EventBusName: 'gatehouse', NextToken: 'garbage' }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });
});

describe('EventBridge buses and persistence', () => {
  it('has the default bus and the seeded rules\' bus; CreateEventBus adds one, once', async () => {
    const defaultBus = await client.send(new DescribeEventBusCommand({}));
    expect(defaultBus).toMatchObject({ Name: 'default', Arn: 'arn:aws:events:us-east-1:000000000000:event-bus/default' });
    expect(defaultBus.CreationTime).toBeInstanceOf(Date);
    await expect(client.send(new DescribeEventBusCommand({ Name: 'gatehouse' }))).resolves.toMatchObject({ Name: 'gatehouse' });
    const created = await client.send(new CreateEventBusCommand({ Name: 'audit', Description: 'audit events' }));
    expect(created.EventBusArn).toBe('arn:aws:events:us-east-1:000000000000:event-bus/audit');
    const byArn = await client.send(new DescribeEventBusCommand({ Name: created.EventBusArn }));
    expect(byArn).toMatchObject({ Name: 'audit', Description: 'audit events' });
    await expect(client.send(new CreateEventBusCommand({ Name: 'audit' }))).rejects.toBeInstanceOf(ResourceAlreadyExistsException);
    await expect(client.send(new DescribeEventBusCommand({ Name: 'nope' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('keeps buses and API-made rules across a restart', async () => {
    await client.send(new PutRuleCommand({ Name: 'kept', EventBusName: 'audit', EventPattern: '{"source":["a"]}' }));
    const again = recordingTargets();
    const url = await serve(createEventBridgeEmulator({ stateDir, faults: noFaults() }, { rules: seededRules, targets: again.targets }));
    const restarted = new EventBridgeClient(clientConfig(url, 1));
    await expect(restarted.send(new DescribeRuleCommand({ Name: 'kept', EventBusName: 'audit' }))).resolves.toMatchObject({ Name: 'kept' });
    await restarted.send(new PutEventsCommand({ Entries: [hired()] }));
    expect(again.calls).toHaveLength(1);
  });

  it('surfaces an injected throttle as ThrottlingException', async () => {
    const faults = new FaultInjector([{ service: 'events', operation: '*', throttle: 1, latencyMs: 0 }]);
    const url = await serve(createEventBridgeEmulator({ faults }, { rules: [], targets }));
    const throttled = new EventBridgeClient(clientConfig(url, 1));
    await expect(throttled.send(new PutEventsCommand({ Entries: [hired()] }))).rejects.toBeInstanceOf(ThrottlingException);
    expect(faults.throttled.get('events:PutEvents')).toBe(1);
    expect(calls).toHaveLength(0);
  });
});

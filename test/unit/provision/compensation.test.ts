import { describe, expect, it } from 'vitest';
import { auditDraftSchema } from '#lib/domain/audit/entry';
import { TransientError } from '#lib/domain/shared/errors';
import { compensateJoiner, compensationDraft, type CompensationDeps, type CompensationRequest, type UndoRecord } from '#lib/domain/provision/compensation';
import { CompensationIncompleteError } from '#lib/domain/provision/errors';
import type { UndoOutcome } from '#lib/domain/provision/ports';
import type { JoinerResults } from '#lib/domain/provision/schemas';
import type { RequestResources, VolumeDeleteOutcome } from '#lib/domain/provision/ports';
import { engineerEntitlements, USER_ID } from './factories.ts';

const INSTANCE = 'i-0123456789abcdef0';
const VOLUME = 'vol-0123456789abcdef0';

const fullResults = (userCreated = true): JoinerResults => ({
  identity: {
    userId: USER_ID,
    userCreated,
    memberships: [
      { entitlementId: 'group:AllStaff', groupId: 'g-all', membershipId: 'm-all' },
      { entitlementId: 'group:Engineering', groupId: 'g-eng', membershipId: 'm-eng' },
    ],
  },
  workstation: { entitlementId: 'workstation:dev-arm', instanceId: INSTANCE, availabilityZone: 'us-east-1a' },
  storage: { entitlementId: 'workstation:dev-arm', volumeId: VOLUME, device: '/dev/sdf' },
});

const aRequest = (overrides: Partial<CompensationRequest> = {}): CompensationRequest => ({
  requestId: 'req-1',
  employeeId: 'E1001',
  executionId: 'arn:aws:states:us-east-1:000000000000:execution:gatehouse-joiner:dlv-1',
  userName: 'ana.silva@example.com',
  entitlements: engineerEntitlements(),
  results: fullResults(),
  errorName: 'States.TaskFailed',
  ...overrides,
});

/** In-memory ports that log every call in order; the first `volumeInUseCalls` volume deletes answer in-use. */
function fakes(options: { tagged?: RequestResources; volumeInUseCalls?: number; failOn?: Record<string, Error>; creator?: string } = {}) {
  const calls: string[] = [];
  const records: UndoRecord[] = [];
  let inUse = options.volumeInUseCalls ?? 0;
  let clock = 0;
  const step = async <T>(name: string, value: T): Promise<T> => {
    calls.push(name);
    const failure = options.failOn?.[name.split(' ')[0] ?? ''];
    if (failure !== undefined) throw failure;
    return Promise.resolve(value);
  };
  const deps: CompensationDeps = {
    identity: {
      findUserId: (userName) => step(`findUserId ${userName}`, USER_ID),
      findMembership: (userId, group) =>
        step(`findMembership ${group.displayName}`, group.displayName === 'ProdReadOnly' ? undefined : { entitlementId: group.id, groupId: `g-${group.displayName}`, membershipId: `m-${group.displayName}` }),
      removeMembership: (membershipId) => step<UndoOutcome>(`removeMembership ${membershipId}`, 'undone'),
      deleteUser: (userId) => step<UndoOutcome>(`deleteUser ${userId}`, 'undone'),
    },
    workstations: {
      findRequestResources: (requestId) => step(`findRequestResources ${requestId}`, options.tagged ?? { instances: [], volumes: [] }),
      terminateWorkstation: (instanceId) => step<UndoOutcome>(`terminateWorkstation ${instanceId}`, 'undone'),
      detachVolume: (volumeId) => step<UndoOutcome | 'not-attached'>(`detachVolume ${volumeId}`, 'undone'),
      deleteVolume: (volumeId) => {
        const outcome: VolumeDeleteOutcome = inUse > 0 ? 'in-use' : 'undone';
        inUse -= 1;
        return step(`deleteVolume ${volumeId}`, outcome);
      },
    },
    ownership: {
      creatorOf: (employeeId, userId) => step(`creatorOf ${employeeId} ${userId}`, options.creator),
    },
    record: async (record) => {
      records.push(record);
      return Promise.resolve();
    },
    sleep: async (ms) => {
      clock += ms;
      return Promise.resolve();
    },
    now: () => clock,
    detachTimeoutMs: 5_000,
    pollMs: 1_000,
  };
  return { deps, calls, records };
}

describe('compensateJoiner', () => {
  it('undoes everything the results name, newest first, and audits each undo', async () => {
    const { deps, calls, records } = fakes();

    const summary = await compensateJoiner(aRequest(), deps);

    expect(calls).toEqual([
      'findRequestResources req-1',
      `deleteVolume ${VOLUME}`,
      `terminateWorkstation ${INSTANCE}`,
      'removeMembership m-all',
      'removeMembership m-eng',
      `deleteUser ${USER_ID}`,
    ]);
    expect(summary.actions.map((a) => `${a.action} ${a.resourceId} ${a.outcome}`)).toEqual([
      `delete-volume ${VOLUME} undone`,
      `terminate-instance ${INSTANCE} undone`,
      'remove-membership m-all undone',
      'remove-membership m-eng undone',
      `delete-user ${USER_ID} undone`,
    ]);
    expect(records).toEqual(summary.actions);
  });

  it('keeps a user this request did not create', async () => {
    const { deps, calls } = fakes();

    const summary = await compensateJoiner(aRequest({ results: fullResults(false) }), deps);

    expect(calls.some((call) => call.startsWith('deleteUser'))).toBe(false);
    expect(summary.actions.at(-1)).toEqual({ action: 'keep-user', resourceId: USER_ID, outcome: 'kept' });
  });

  it('without identity results, finds the user by name and removes only memberships of this request\'s groups', async () => {
    const { deps, calls, records } = fakes();

    const summary = await compensateJoiner(aRequest({ results: {} }), deps);

    expect(calls).toEqual([
      'findRequestResources req-1',
      'findUserId ana.silva@example.com',
      `creatorOf E1001 ${USER_ID}`,
      'findMembership AllStaff',
      'removeMembership m-AllStaff',
      'findMembership Engineering',
      'removeMembership m-Engineering',
      'findMembership ProdReadOnly',
    ]);
    expect(records.map((r) => r.entitlementId)).toEqual(['group:AllStaff', 'group:Engineering']);
    expect(summary.actions.at(-1)).toEqual({ action: 'keep-user', resourceId: USER_ID, outcome: 'kept' });
  });

  it('without identity results, deletes the user the employees item says this request created', async () => {
    const { deps, calls, records } = fakes({ creator: 'req-1' });

    const summary = await compensateJoiner(aRequest({ results: {} }), deps);

    expect(calls.slice(-2)).toEqual(['findMembership ProdReadOnly', `deleteUser ${USER_ID}`]);
    expect(summary.actions.at(-1)).toEqual({ action: 'delete-user', resourceId: USER_ID, outcome: 'undone' });
    expect(records.at(-1)).toEqual({ action: 'delete-user', resourceId: USER_ID, outcome: 'undone' });
  });

  it('without identity results, keeps a user another request created', async () => {
    const { deps, calls } = fakes({ creator: 'req-joiner' });

    const summary = await compensateJoiner(aRequest({ requestId: 'req-mover', results: {}, workflow: 'mover' }), deps);

    expect(calls.some((call) => call.startsWith('deleteUser'))).toBe(false);
    expect(summary.actions.at(-1)).toEqual({ action: 'keep-user', resourceId: USER_ID, outcome: 'kept' });
  });

  it('finds instances and volumes by the request tag when the results lost them, ignoring other entitlements', async () => {
    const { deps, calls } = fakes({
      tagged: {
        instances: [{ id: INSTANCE, entitlementId: 'workstation:dev-arm' }, { id: 'i-0aaaaaaaaaaaaaaaa', entitlementId: 'workstation:gpu' }],
        volumes: [{ id: VOLUME, entitlementId: 'workstation:dev-arm' }],
      },
    });

    await compensateJoiner(aRequest({ results: {}, userName: undefined }), deps);

    expect(calls).toEqual(['findRequestResources req-1', `deleteVolume ${VOLUME}`, `terminateWorkstation ${INSTANCE}`]);
  });

  it('detaches an attached volume and polls the delete until it goes', async () => {
    const { deps, calls } = fakes({ volumeInUseCalls: 3 });

    const summary = await compensateJoiner(aRequest(), deps);

    expect(calls.filter((call) => call.includes(VOLUME))).toEqual([
      `deleteVolume ${VOLUME}`,
      `detachVolume ${VOLUME}`,
      `deleteVolume ${VOLUME}`,
      `deleteVolume ${VOLUME}`,
      `deleteVolume ${VOLUME}`,
    ]);
    expect(summary.actions[0]).toMatchObject({ action: 'delete-volume', outcome: 'undone' });
  });

  it('still undoes the rest when a volume will not detach in time, then hands back a TransientError', async () => {
    const { deps, calls } = fakes({ volumeInUseCalls: 100 });

    await expect(compensateJoiner(aRequest(), deps)).rejects.toBeInstanceOf(TransientError);
    expect(calls).toContain(`deleteUser ${USER_ID}`);
    expect(calls).toContain(`terminateWorkstation ${INSTANCE}`);
  });

  it('is CompensationIncompleteError when a failure is not retryable', async () => {
    const { deps, calls } = fakes({ failOn: { removeMembership: new Error('AccessDeniedException') } });

    await expect(compensateJoiner(aRequest(), deps)).rejects.toBeInstanceOf(CompensationIncompleteError);
    expect(calls).toContain(`deleteUser ${USER_ID}`);
  });
});

describe('compensationDraft', () => {
  it('is a valid compensation.applied audit draft with a rerun-stable idempotency key', () => {
    const request = aRequest();
    const record = { action: 'remove-membership', resourceId: 'm-eng', entitlementId: 'group:Engineering', outcome: 'undone' } as const;

    const draft = compensationDraft(request, record);

    expect(auditDraftSchema.safeParse(draft).success).toBe(true);
    expect(draft).toMatchObject({
      kind: 'compensation.applied',
      subject: 'E1001',
      entitlementId: 'group:Engineering',
      detail: { step: 'Create Identity Center User', action: 'remove-membership', resourceId: 'm-eng' },
    });
    expect(compensationDraft(request, { ...record, outcome: 'already-gone' }).idempotencyKey).toBe(draft.idempotencyKey);
  });
});

import { hirePayload, leavePayload } from './hris.ts';
import { accessOf } from './inspect.ts';
import type { Scenario } from './joiner.ts';
import { finishedExecution } from './run.ts';

const leaverLosesEverything: Scenario = {
  title: 'A leaver loses everything at once',
  async run({ hris, sfn, report, runId }) {
    const id = `LEAVE-${runId}`;
    const userName = `${id.toLowerCase()}@example.com`;
    await hris.post(hirePayload({ id, role: 'engineer' }), `demo-${runId}-leaver-hire`);
    const joiner = await finishedExecution(sfn, 'joiner', `generic-demo-${runId}-leaver-hire`);
    report.check('engineer hired and provisioned', joiner.status === 'SUCCEEDED', joiner.status ?? '');
    const before = await accessOf(id, userName);

    const posted = await hris.post(leavePayload({ id }), `demo-${runId}-leave`);
    report.check('leave webhook answered 202', posted.status === 202, `HTTP ${posted.status}`);
    const leaver = await finishedExecution(sfn, 'leaver', `generic-demo-${runId}-leave`);
    report.check('leaver execution SUCCEEDED', leaver.status === 'SUCCEEDED', leaver.status ?? '');
    const after = await accessOf(id, userName);
    report.check('no Identity Center user and no membership', after.userId === undefined && after.memberships === 0);
    report.check('no running instance', after.instances.every((instance) => instance.state === 'terminated'), JSON.stringify(after.instances));
    report.check('no volume', after.volumes.length === 0, JSON.stringify(after.volumes));
    report.check(
      `${before.volumes.length} snapshot(s) kept, tagged for retention`,
      after.snapshots.length === before.volumes.length && after.snapshots.every((snapshot) => snapshot.retained),
      JSON.stringify(after.snapshots),
    );
    report.check(`grants closed (${after.revokedGrants} revoked, ${after.activeGrants} active)`, after.activeGrants === 0 && after.revokedGrants === before.activeGrants);
    report.check('audit chain intact, one grant.revoked per grant', after.auditChainOk && after.auditKinds.filter((kind) => kind === 'grant.revoked').length === before.activeGrants);
  },
};

/** The operator kill switch: a token from the local issuer, POST /operator/leavers, no HRIS involved (docs/leaver.md). */
const operatorKillSwitch: Scenario = {
  title: 'An operator pulls the kill switch (no HRIS)',
  async run({ cloud, hris, sfn, report, runId }) {
    const id = `KILL-${runId}`;
    const userName = `${id.toLowerCase()}@example.com`;
    await hris.post(hirePayload({ id, role: 'engineer' }), `demo-${runId}-kill-hire`);
    const joiner = await finishedExecution(sfn, 'joiner', `generic-demo-${runId}-kill-hire`);
    report.check('engineer hired and provisioned', joiner.status === 'SUCCEEDED', joiner.status ?? '');
    const call = async (token: string, key: string) =>
      fetch(`${cloud.endpoints.frontdoor}/operator/leavers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key },
        body: JSON.stringify({ employeeId: id, reason: 'demo: laptop reported stolen' }),
      });

    const staff = await call(await cloud.issueToken({ email: 'dev@example.com', groups: ['staff'] }), `demo-${runId}-kill-staff`);
    report.check('a token outside the operator group gets 403', staff.status === 403, `HTTP ${staff.status}`);
    const pulled = await call(await cloud.issueToken({ email: 'it-ops@example.com', groups: ['gatehouse-operators'] }), `demo-${runId}-kill`);
    report.check('operator token: 202, leaver started directly', pulled.status === 202, `HTTP ${pulled.status}`);
    const leaver = await finishedExecution(sfn, 'leaver', `operator-demo-${runId}-kill`);
    report.check('leaver execution SUCCEEDED', leaver.status === 'SUCCEEDED', leaver.status ?? '');
    const after = await accessOf(id, userName);
    report.check('no user, membership, running instance, volume or active grant', after.userId === undefined && after.memberships === 0 && after.volumes.length === 0 && after.activeGrants === 0);
  },
};

export const leaverScenarios: Scenario[] = [leaverLosesEverything, operatorKillSwitch];

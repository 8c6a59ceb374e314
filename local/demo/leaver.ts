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

export const leaverScenarios: Scenario[] = [leaverLosesEverything];

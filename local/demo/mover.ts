import { resolveEntitlements } from '../../functions/lib/domain/catalogue/resolve.ts';
import type { Catalogue } from '../../functions/lib/domain/catalogue/schema.ts';
import { readLocalCatalogue } from '../catalogue.ts';

/** Read when the demo runs, after the local cloud checked the file at boot. */
const roleCatalogue = (): Catalogue => readLocalCatalogue().catalogue;
import { approvalLink, decide } from './approver.ts';
import { changePayload, hirePayload } from './hris.ts';
import { accessOf } from './inspect.ts';
import type { Scenario } from './joiner.ts';
import { finishedExecution } from './run.ts';

const MANAGER = 'dana.lead@example.com';
const DATA_OWNERS = 'data-owners@example.com';
const groupsOf = (role: string): string[] =>
  resolveEntitlements(roleCatalogue(), role)
    .flatMap((entitlement) => (entitlement.kind === 'group' ? [entitlement.displayName] : []))
    .sort();

const moverChain: Scenario = {
  title: 'A mover (engineer -> data-scientist -> sales) ends with exactly the last role\'s access',
  async run({ cloud, hris, sfn, report, runId }) {
    const id = `MOVE-${runId}`;
    const userName = `${id.toLowerCase()}@example.com`;
    await hris.post(hirePayload({ id, role: 'engineer', managerEmail: MANAGER }), `demo-${runId}-mover-hire`);
    const joiner = await finishedExecution(sfn, 'joiner', `generic-demo-${runId}-mover-hire`);
    report.check('engineer hired and provisioned', joiner.status === 'SUCCEEDED', joiner.status ?? '');
    const hired = await accessOf(id, userName);

    const posted = await hris.post(changePayload({ id, role: 'data-scientist', managerEmail: MANAGER }), `demo-${runId}-move-ds`);
    report.check('change webhook answered 202', posted.status === 202, `HTTP ${posted.status}`);
    for (const approver of [MANAGER, DATA_OWNERS]) {
      const decided = await decide(await approvalLink(cloud.endpoints.ses, approver, id), 'approve', 'Moving to data science');
      report.check(`${approver} approved what the new role adds`, decided.decisionStatus === 303, `POST ${decided.decisionStatus}`);
    }
    const first = await finishedExecution(sfn, 'mover', `generic-demo-${runId}-move-ds`);
    report.check('mover to data-scientist SUCCEEDED', first.status === 'SUCCEEDED', first.status ?? '');
    const middle = await accessOf(id, userName);
    report.check('groups are exactly data-scientist\'s', middle.groups.join() === groupsOf('data-scientist').join(), middle.groups.join(', '));
    const running = (access: typeof middle) => access.instances.filter((instance) => instance.state !== 'terminated');
    report.check(
      'the engineer workstation is gone, a new gpu workstation runs',
      running(middle).length === 1 && running(middle)[0]?.id !== hired.instances[0]?.id,
      JSON.stringify(middle.instances),
    );

    await hris.post(changePayload({ id, role: 'sales', managerEmail: MANAGER }), `demo-${runId}-move-sales`);
    const second = await finishedExecution(sfn, 'mover', `generic-demo-${runId}-move-sales`);
    report.check('mover to sales SUCCEEDED (low risk: no approval)', second.status === 'SUCCEEDED', second.status ?? '');
    const after = await accessOf(id, userName);
    report.check('same Identity Center user kept', after.userId !== undefined && after.userId === hired.userId);
    report.check('groups are exactly sales\'', after.groups.join() === groupsOf('sales').join(), after.groups.join(', '));
    report.check('no running instance, no volume', running(after).length === 0 && after.volumes.length === 0, JSON.stringify(after.instances));
    report.check('both data volumes kept as retained snapshots', after.snapshots.length === 2 && after.snapshots.every((snapshot) => snapshot.retained));
    const want = resolveEntitlements(roleCatalogue(), 'sales').length;
    report.check(`${want} active grants (sales only)`, after.activeGrants === want, `${after.activeGrants}`);
    const revoked = after.auditKinds.filter((kind) => kind === 'grant.revoked').length;
    report.check('audit chain intact, one grant.revoked per dropped entitlement (5)', after.auditChainOk && revoked === 5, `${revoked}`);
  },
};

export const moverScenarios: Scenario[] = [moverChain];

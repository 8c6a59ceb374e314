import { resolveEntitlements } from '../../functions/lib/domain/catalogue/resolve.ts';
import type { Catalogue } from '../../functions/lib/domain/catalogue/schema.ts';
import { readLocalCatalogue } from '../catalogue.ts';

/** Read when the demo runs, after the local cloud checked the file at boot. */
const roleCatalogue = (): Catalogue => readLocalCatalogue().catalogue;
import { approvalLink, decide } from './approver.ts';
import { hirePayload } from './hris.ts';
import { accessOf } from './inspect.ts';
import { executionsNamed, finishedExecution, type DemoContext } from './run.ts';

export interface Scenario {
  title: string;
  run(ctx: DemoContext): Promise<void>;
}

const expected = (role: string) => {
  const entitlements = resolveEntitlements(roleCatalogue(), role);
  return { groups: entitlements.filter((e) => e.kind === 'group').length, workstations: entitlements.filter((e) => e.kind === 'workstation').length, all: entitlements.length };
};

const lowRiskHire: Scenario = {
  title: 'A low-risk hire (engineer) is auto-approved and provisioned',
  async run({ hris, sfn, report, runId }) {
    const id = `ENG-${runId}`;
    const deliveryId = `demo-${runId}-hire`;
    const payload = hirePayload({ id, role: 'engineer' });
    const posted = await hris.post(payload, deliveryId);
    report.check('webhook answered 202', posted.status === 202, `HTTP ${posted.status}`);
    const execution = await finishedExecution(sfn, 'joiner', `generic-${deliveryId}`);
    report.check('joiner execution SUCCEEDED', execution.status === 'SUCCEEDED', execution.status ?? '');
    const want = expected('engineer');
    const access = await accessOf(id, `${id.toLowerCase()}@example.com`);
    report.check('Identity Center user exists', access.userId !== undefined);
    report.check(`${want.groups} group memberships`, access.memberships === want.groups, `${access.memberships}`);
    report.check('workstation running', access.instances.length === want.workstations && access.instances.every((i) => i.state === 'running'), JSON.stringify(access.instances));
    report.check('data volume attached', access.attachedVolumes === want.workstations, `${access.attachedVolumes}`);
    report.check(`${want.all} active grants recorded`, access.activeGrants === want.all, `${access.activeGrants}`);
    report.check('audit chain intact', access.auditEntries > 0 && access.auditChainOk, `${access.auditEntries} entries`);

    const replay = await hris.post(payload, deliveryId);
    report.check('the same delivery again answers 202', replay.status === 202, `HTTP ${replay.status}`);
    report.check('...and starts no second workflow', (await executionsNamed(sfn, 'joiner', `generic-${deliveryId}`)) === 1);
  },
};

const forgedWebhook: Scenario = {
  title: 'A webhook with a forged signature is refused and starts nothing',
  async run({ hris, sfn, report, runId }) {
    const deliveryId = `demo-${runId}-forged`;
    const posted = await hris.post(hirePayload({ id: `FORGED-${runId}`, role: 'engineer' }), deliveryId, { secret: 'whsec_Zm9yZ2VkLWtleS1mb3ItdGhlLWRlbW8=' });
    report.check('webhook answered 401', posted.status === 401, `HTTP ${posted.status}`);
    report.check('no workflow started', (await executionsNamed(sfn, 'joiner', `generic-${deliveryId}`)) === 0);
  },
};

const MANAGER = 'dana.lead@example.com';
const FINANCE_OWNERS = 'finance-owners@example.com';

const approvedHire: Scenario = {
  title: 'A high-risk hire (finance-admin) waits for its approvers, who approve by emailed link',
  async run({ cloud, hris, sfn, report, runId }) {
    const id = `FIN-${runId}`;
    const deliveryId = `demo-${runId}-fin`;
    const posted = await hris.post(hirePayload({ id, role: 'finance-admin', managerEmail: MANAGER }), deliveryId);
    report.check('webhook answered 202', posted.status === 202, `HTTP ${posted.status}`);
    for (const approver of [MANAGER, FINANCE_OWNERS]) {
      const link = await approvalLink(cloud.endpoints.ses, approver, id);
      report.check(`mail with an approval link reached ${approver}`, link.length > 0);
      const access = await accessOf(id, `${id.toLowerCase()}@example.com`);
      report.check('nothing is provisioned while approval is pending', access.userId === undefined);
      const decided = await decide(link, 'approve', 'Welcome aboard');
      report.check(`${approver} approved on the page (GET ${decided.pageStatus}, POST ${decided.decisionStatus})`, decided.pageStatus === 200 && decided.decisionStatus === 303);
      const reused = await decide(link, 'approve');
      report.check('the used link decides nothing a second time', reused.decisionStatus === 0 || reused.decisionStatus >= 400, `POST ${reused.decisionStatus}`);
    }
    const execution = await finishedExecution(sfn, 'joiner', `generic-${deliveryId}`);
    report.check('joiner execution SUCCEEDED', execution.status === 'SUCCEEDED', execution.status ?? '');
    const want = expected('finance-admin');
    const access = await accessOf(id, `${id.toLowerCase()}@example.com`);
    report.check(`user and ${want.groups} memberships provisioned after approval`, access.userId !== undefined && access.memberships === want.groups, `${access.memberships}`);
    report.check('audit chain intact', access.auditEntries > 0 && access.auditChainOk, `${access.auditEntries} entries`);
  },
};

const deniedHire: Scenario = {
  title: 'A high-risk hire denied by the manager provisions nothing',
  async run({ cloud, hris, sfn, report, runId }) {
    const id = `DENY-${runId}`;
    const deliveryId = `demo-${runId}-deny`;
    await hris.post(hirePayload({ id, role: 'finance-admin', managerEmail: MANAGER }), deliveryId);
    const decided = await decide(await approvalLink(cloud.endpoints.ses, MANAGER, id), 'deny', 'Not this role');
    report.check('manager denied on the page', decided.decisionStatus === 303, `POST ${decided.decisionStatus}`);
    const execution = await finishedExecution(sfn, 'joiner', `generic-${deliveryId}`);
    report.check('joiner ended (denied is an outcome, not a failure)', execution.status === 'SUCCEEDED', execution.status ?? '');
    const access = await accessOf(id, `${id.toLowerCase()}@example.com`);
    report.check('no user, membership, instance or grant exists', access.userId === undefined && access.memberships === 0 && access.instances.length === 0 && access.activeGrants === 0);
    report.check('the denial is in the audit trail', access.auditEntries > 0 && access.auditChainOk, `${access.auditEntries} entries`);
  },
};

export const joinerScenarios: Scenario[] = [lowRiskHire, approvedHire, deniedHire, forgedWebhook];

import { CreateUserCommand, IdentitystoreClient } from '@aws-sdk/client-identitystore';
import type { ReportResult } from '../../functions/lib/domain/reconcile/run.ts';
import { functionArn } from '../core/arn.ts';
import { LOCAL_IDENTITY_STORE_ID } from '../function-env.ts';
import { fetchSentMails } from '../ses-local.ts';
import type { Scenario } from './joiner.ts';
import { waitFor } from './report.ts';

/**
 * Reconciliation in report mode, as the daily schedule runs it (docs/reconciliation.md): the demo
 * plants one orphan (an Identity Store user created straight through the SDK, as an administrator
 * clicking in the console would, with no employee behind it), runs the reconcile function once,
 * and checks the report and the operator e-mail. It never runs remove mode; it prints the command
 * an operator would run after reviewing the plan.
 */

const OPERATOR = 'it-ops@example.com';

async function plantOrphan(runId: string): Promise<{ userId: string; userName: string }> {
  const userName = `planted-orphan-${runId.toLowerCase()}@example.com`;
  const client = new IdentitystoreClient({});
  try {
    const out = await client.send(
      new CreateUserCommand({
        IdentityStoreId: LOCAL_IDENTITY_STORE_ID,
        UserName: userName,
        DisplayName: 'PLANTED BY THE DEMO (no employee)',
        Name: { GivenName: 'Planted', FamilyName: 'Orphan' },
      }),
    );
    return { userId: out.UserId ?? '', userName };
  } finally {
    client.destroy();
  }
}

const reconciliationMails = async (sesEndpoint: string, runDate: string) =>
  (await fetchSentMails(sesEndpoint)).filter((mail) => mail.destination.to.includes(OPERATOR) && mail.subject.startsWith(`Gatehouse reconciliation ${runDate}`));

/** The share that lets `deletions` of `users` through the guard (floor(users x share) >= deletions). */
const shareFor = (deletions: number, users: number): number => Math.ceil((deletions * 100) / users) / 100;

const reconciliationReport: Scenario = {
  title: 'Reconciliation (report mode) finds a planted orphan and e-mails operators once',
  async run({ cloud, report, runId }) {
    const planted = await plantOrphan(runId);
    report.check(`PLANTED by the demo: Identity Store user ${planted.userName} with no employee`, planted.userId.length > 0, planted.userId);
    const runDate = new Date().toISOString().slice(0, 10);
    const mailsBefore = (await reconciliationMails(cloud.endpoints.ses, runDate)).length;

    // What the daily schedule does: invoke gatehouse-reconcile with {} (the same handler as on AWS).
    const result = (await cloud.runtime.invoke(functionArn('reconcile'), {})) as ReportResult;
    const counts = new Map<string, number>();
    for (const finding of result.findings) counts.set(finding.kind, (counts.get(finding.kind) ?? 0) + 1);
    console.log(`    report ${result.runDate}: ${result.findings.length} finding(s): ${[...counts].map(([kind, n]) => `${kind} ${n}`).join(', ')}`);
    const found = result.findings.find((finding) => finding.kind === 'orphan-user' && finding.userId === planted.userId);
    report.check('the planted user is reported as orphan-user (unknown)', found?.kind === 'orphan-user' && found.why === 'unknown');
    const ours = result.findings.filter((finding) => finding.employeeId?.endsWith(`-${runId}`));
    report.check('nothing drifted for the people this run hired, moved or let go', ours.length === 0, ours.map((finding) => finding.kind).join(', '));
    const deletion = result.plan.actions.find((action) => action.action === 'delete-user' && action.userId === planted.userId);
    report.check('removal plan would delete it', deletion !== undefined, `plan ${result.plan.fingerprint}: ${result.plan.actions.length} action(s)`);

    if (result.mail === 'sent') {
      const mails = await waitFor('the reconciliation mail', async () => {
        const all = await reconciliationMails(cloud.endpoints.ses, runDate);
        return all.length > mailsBefore ? all : undefined;
      }, 10_000);
      const mail = mails.at(-1);
      report.check(`one e-mail to ${OPERATOR} in the local inbox, listing the planted user`, mails.length === mailsBefore + 1 && (mail?.body.text ?? '').includes(planted.userId), mail?.subject ?? '');
    } else {
      // Report mode mails once per run date: a second run today (a restarted cloud on kept state) finds its run entry.
      const after = (await reconciliationMails(cloud.endpoints.ses, runDate)).length;
      report.check(`already e-mailed today by an earlier run (once per run date); no second mail`, result.mail === 'already-sent' && after === mailsBefore, `${cloud.inboxUrl}`);
    }

    const users = result.plan.guard.outcome === 'blocked' && /of (\d+) users/.exec(result.plan.guard.message)?.[1];
    const deletions = result.plan.actions.filter((action) => action.action === 'delete-user').length;
    const command = `npm run gatehouse -- reconcile --local --remove --confirm ${result.plan.fingerprint}`;
    console.log(`    mass-deletion guard: ${result.plan.guard.outcome === 'passed' ? 'passed' : `BLOCKED (${result.plan.guard.reason}): ${result.plan.guard.message}`}`);
    console.log('    remove mode is not run by the demo. After reviewing the plan, an operator would run (against `npm start`):');
    if (result.plan.guard.outcome === 'passed') console.log(`      ${command}`);
    else if (users) {
      console.log(`      MAX_REMOVAL_SHARE=${shareFor(deletions, Number(users))} ${command}`);
      console.log('      (the 10% guard blocks any deletion in a directory this small; raising the share for one run is the deliberate override)');
    } else console.log(`      nothing: ${result.plan.guard.message}`);
  },
};

export const reconcileScenarios: Scenario[] = [reconciliationReport];

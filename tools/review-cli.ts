import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createReviewMailer } from '../functions/lib/adapters/aws/ses-review-mailer.ts';
import { createAuditStore } from '../functions/lib/adapters/dynamodb/audit.ts';
import { createReviewStore } from '../functions/lib/adapters/dynamodb/reviews.ts';
import type { AuditEntry } from '../functions/lib/domain/audit/entry.ts';
import { localExportSource, readAuditEntries } from '../functions/lib/domain/audit-export/reader.ts';
import { campaignIdSchema, type Scope } from '../functions/lib/domain/reviews/campaign.ts';
import { countDecisions } from '../functions/lib/domain/reviews/close.ts';
import { reviewLinkFor } from '../functions/lib/domain/reviews/links.ts';
import { remindNow } from '../functions/lib/domain/reviews/progress.ts';
import { CampaignExistsError, requestEarlyClose, startReview } from '../functions/lib/domain/reviews/operate.ts';
import { createCampaignRuns } from '../functions/lib/adapters/aws/sfn-access-review.ts';
import { createRecurringReviews } from '../functions/lib/adapters/aws/scheduler-reviews.ts';
import { awsErrorName } from '../functions/lib/adapters/aws/call-aws.ts';
import { scheduleRecurringReview } from '../functions/lib/domain/reviews/recurring.ts';
import { SCHEDULE_GROUP_NAME } from '../infra/spec/wiring.ts';
import { CampaignClosedError, CampaignNotFoundError } from '../functions/lib/domain/reviews/errors.ts';
import { campaignEvidence, evidenceCsv, evidenceHtml, liveCampaignEntries } from '../functions/lib/domain/reviews/report.ts';
import { ValidationError } from '../functions/lib/domain/shared/errors.ts';
import { UsageError, type CliIo } from './cli/errors.ts';
import { executionArn, gatehouseMachines } from './cli/executions.ts';

/**
 * `npm run gatehouse -- review start|schedule|status|remind|close|report` (issue #16): start a campaign
 * (an access-review execution named after the campaign id), schedule a recurring one, see its progress, remind reviewers
 * now, close it early (the defaults apply at the machine's next check), and print its evidence.
 * `report` builds CSV or HTML from audit entries only: the live audit table's, or an export's
 * (--export <folder>), with the same code, so the two files are equal when nothing was lost.
 */
export const REVIEW_USAGE = `usage: gatehouse review   (source .gatehouse/endpoints.env first locally)
  start --name <text> [--scope all|high|entitlements:<id>,<id>|department:<name>] [--id <campaignId>]
        [--due <seconds>] [--remind <seconds>] [--escalate <seconds>] [--default-low keep|revoke|flag] [--default-high keep|revoke|flag]
  schedule <name> --every 'cron(0 9 ? JAN,APR,JUL,OCT 2#1 *)'|'rate(90 days)' [--timezone Europe/Berlin] --name <text> [start's options]
                                 a recurring campaign: an EventBridge Scheduler schedule review-<name> starts one at each time
  status <campaignId>            items pending / decided / remediated, the execution's status
  remind <campaignId>            mail every reviewer with open items now
  close <campaignId>             end the campaign early: defaults apply, revocations run, it closes
  report <campaignId> [--format csv|html] [--out <file>] [--export <audit export folder>]
`;

export interface ReviewCliDeps {
  env: Record<string, string | undefined>;
  now?: () => Date;
}

function scopeOf(text: string): Scope {
  if (text === 'all') return { kind: 'all' };
  if (text === 'high') return { kind: 'risk', atLeast: 'high' };
  if (text.startsWith('entitlements:')) return { kind: 'entitlements', entitlementIds: text.slice('entitlements:'.length).split(',').filter(Boolean) };
  if (text.startsWith('department:')) return { kind: 'department', department: text.slice('department:'.length) };
  throw new UsageError(`--scope must be all, high, entitlements:<id>,<id> or department:<name>, not ${text}`);
}

const seconds = (value: string | undefined, name: string, fallback: number): number => {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} must be a whole number of seconds, not ${value}`);
  return Number(value);
};

async function exportEntries(folder: string): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  for await (const { entry } of readAuditEntries(localExportSource(folder))) entries.push(entry);
  return entries;
}

export async function runReviewCli(argv: string[], io: CliIo, deps: ReviewCliDeps): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      scope: { type: 'string', default: 'all' },
      id: { type: 'string' },
      due: { type: 'string' },
      remind: { type: 'string' },
      escalate: { type: 'string' },
      'default-low': { type: 'string' },
      'default-high': { type: 'string' },
      every: { type: 'string' },
      timezone: { type: 'string', default: 'UTC' },
      format: { type: 'string', default: 'csv' },
      out: { type: 'string' },
      export: { type: 'string' },
    },
  });
  const [command, campaignArg] = positionals;
  const now = deps.now ?? (() => new Date());
  const prefix = deps.env.GATEHOUSE_TABLE_PREFIX ?? 'gatehouse-';
  const tables = { reviews: deps.env.REVIEWS_TABLE_NAME ?? `${prefix}reviews`, audit: deps.env.AUDIT_TABLE_NAME ?? `${prefix}audit` };
  const campaignId = (): string => {
    const parsed = campaignIdSchema.safeParse(campaignArg);
    if (!parsed.success) throw new UsageError(`${command} needs a campaign id (1-64 of A-Z a-z 0-9 _ -)`);
    return parsed.data;
  };
  const raw = new DynamoDBClient({});
  const doc = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  const sfn = new SFNClient({});
  const store = createReviewStore({ client: doc, tableName: tables.reviews });
  /** The deployed (or local) gatehouse-access-review machine, found by name. */
  const machine = async (): Promise<string> => {
    const arn = deps.env.ACCESS_REVIEW_STATE_MACHINE_ARN ?? (await gatehouseMachines(sfn)).get('access-review');
    if (!arn) throw new UsageError('no gatehouse-access-review state machine here: deploy the stack, or start the local cloud and source its endpoints.env');
    return arn;
  };
  try {
    /** The campaign definition `start` and `schedule` build from the options. */
    const definition = (): Record<string, unknown> => {
      if (!values.name) throw new UsageError(`${command} needs --name <text>`);
      return {
        name: values.name,
        scope: scopeOf(values.scope),
        dueInSeconds: seconds(values.due, 'due', 14 * 86_400),
        remindEverySeconds: seconds(values.remind, 'remind', 3 * 86_400),
        escalationSeconds: seconds(values.escalate, 'escalate', 3 * 86_400),
        defaults: { low: values['default-low'] ?? 'keep', high: values['default-high'] ?? 'revoke' },
      };
    };
    switch (command) {
      case 'schedule': {
        if (!campaignArg || !values.every) throw new UsageError("schedule needs a name and --every 'cron(...)'|'rate(...)'");
        const roleArn = deps.env.SCHEDULER_ROLE_ARN;
        if (!roleArn) throw new UsageError('schedule needs SCHEDULER_ROLE_ARN (the stack output SchedulerRoleArn; locally in endpoints.env)');
        const schedules = createRecurringReviews({ client: new SchedulerClient({}), groupName: deps.env.SCHEDULE_GROUP_NAME ?? SCHEDULE_GROUP_NAME, stateMachineArn: await machine(), roleArn });
        const recurring = { name: campaignArg, schedule: { expression: values.every, timezone: values.timezone }, campaign: definition() };
        const done = await scheduleRecurringReview({ schedules }, recurring).catch((error: unknown) => {
          if (error instanceof ValidationError || awsErrorName(error) === 'ValidationException') throw new UsageError((error as Error).message);
          throw error;
        });
        io.stdout(`${done.change} schedule ${done.scheduleName}: ${values.every} (${values.timezone})\n`);
        return 0;
      }
      case 'start': {
        const campaign = definition();
        const started = await startReview({ runs: createCampaignRuns(sfn, await machine()), clock: { now } }, { campaignId: values.id, campaign }).catch((error: unknown) => {
          if (error instanceof ValidationError || error instanceof CampaignExistsError) throw new UsageError(error.message);
          throw error;
        });
        io.stdout(`started campaign ${started.campaignId}\n`);
        return 0;
      }
      case 'status': {
        const id = campaignId();
        const campaign = await store.getCampaign(id);
        const execution = await sfn.send(new DescribeExecutionCommand({ executionArn: executionArn(await machine(), id) })).catch(() => undefined);
        if (!campaign) {
          io.stdout(`campaign ${id}: no snapshot yet (execution ${execution?.status ?? 'not found'})\n`);
          return execution ? 0 : 1;
        }
        const items = await store.listItems(id);
        const counts = countDecisions(items);
        const by = (status: string) => items.filter((item) => item.status === status).length;
        io.stdout(
          `campaign ${id} "${campaign.definition.name}": ${campaign.status}, execution ${execution?.status ?? 'unknown'}\n` +
            `  ${campaign.itemCount} items (snapshot ${campaign.snapshotHash.slice(0, 12)}…), due ${campaign.dueAt}, defaults at ${campaign.deadlineAt}\n` +
            `  pending ${by('pending')}, decided ${by('decided')}, remediated ${by('remediated')}; keep ${counts.keep}, revoke ${counts.revoke}, flag ${counts.flag}, by default ${counts.defaulted}, escalated ${counts.escalated}\n`,
        );
        return 0;
      }
      case 'remind': {
        const id = campaignId();
        const mailer = createReviewMailer({ client: new SESv2Client({}), from: deps.env.MAIL_FROM ?? 'gatehouse@example.com' });
        const base = deps.env.GATEHOUSE_FRONT_DOOR ?? deps.env.APPROVAL_BASE_URL ?? '';
        const audit = createAuditStore({ client: doc, tableName: tables.audit, clock: { now } });
        const reminded = await remindNow({ store, mailer, audit, clock: { now }, linkFor: reviewLinkFor(store, base, now) }, id, `manual-${now().toISOString()}`).catch((error: unknown) => {
          if (error instanceof CampaignClosedError || error instanceof CampaignNotFoundError) throw new UsageError(error.message);
          throw error;
        });
        io.stdout(`reminded ${reminded.reviewers} reviewer(s) of ${reminded.items} open item(s)\n`);
        return 0;
      }
      case 'close': {
        const id = campaignId();
        await requestEarlyClose({ store, clock: { now } }, id).catch((error: unknown) => {
          if (error instanceof CampaignClosedError || error instanceof CampaignNotFoundError) throw new UsageError(error.message);
          throw error;
        });
        io.stdout(`campaign ${id}: closing; the defaults apply at its next check\n`);
        return 0;
      }
      case 'report': {
        const id = campaignId();
        if (values.format !== 'csv' && values.format !== 'html') throw new UsageError('--format must be csv or html');
        const entries = values.export ? await exportEntries(values.export) : await liveCampaignEntries({ audit: createAuditStore({ client: doc, tableName: tables.audit, clock: { now } }), store }, id);
        const evidence = campaignEvidence(id, entries);
        const text = values.format === 'csv' ? evidenceCsv(evidence) : evidenceHtml(evidence);
        if (values.out) writeFileSync(values.out, text);
        else io.stdout(text);
        if (!evidence.complete) io.stderr(`campaign ${id}: the decisions do not cover the snapshot (${evidence.rows.length} of ${evidence.itemCount} items, or the hash differs)\n`);
        return evidence.complete ? 0 : 1;
      }
      default:
        throw new UsageError(`unknown review command ${command ?? '(none)'}`);
    }
  } finally {
    raw.destroy();
    sfn.destroy();
  }
}

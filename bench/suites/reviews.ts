import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startLocalCloud } from '../../local/cloud.ts';
import { createAuditStore } from '../../functions/lib/adapters/dynamodb/audit.ts';
import { createReviewStore } from '../../functions/lib/adapters/dynamodb/reviews.ts';
import { createPopulation } from '../../functions/lib/adapters/dynamodb/reviews-population.ts';
import { parseDefinition } from '../../functions/lib/domain/reviews/campaign.ts';
import { recordDecisions } from '../../functions/lib/domain/reviews/record-decisions.ts';
import { startCampaign } from '../../functions/lib/domain/reviews/start.ts';
import { readLocalCatalogue } from '../../local/catalogue.ts';
import type { Row, Suite } from '../lib/suite.ts';
import { timeBoundSource } from '../../functions/lib/domain/grants/source.ts';

/**
 * `reviews` (issue #16): a campaign started over 10,000 active grants (1,000 with --quick) of
 * 1,000 people in DynamoDB Local: the snapshot (Scan of grants, people by status) plus writing one
 * item per grant and review.started, timed, with the process's RSS growth; then reviewer decisions
 * (conditional write + review.decided on the person's chain), eight reviewers at once, per second.
 */
const SUITE = 'reviews';

async function batchPut(doc: DynamoDBDocumentClient, table: string, items: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    let requests = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    while (requests.length > 0) {
      const out = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
      requests = (out.UnprocessedItems?.[table] ?? []) as typeof requests;
    }
  }
}

export const reviewsSuite: Suite = {
  name: SUITE,
  async run(ctx) {
    const saved = { ...process.env };
    ctx.defer(() => {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    });
    const cloud = await startLocalCloud({ dataDir: await ctx.tempDir('reviews'), basePort: 0, functionEnv: { POWERTOOLS_LOG_LEVEL: 'ERROR' } });
    ctx.defer(() => cloud.stop());
    const raw = new DynamoDBClient({});
    ctx.defer(() => raw.destroy());
    const doc = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
    const roleCatalogue = readLocalCatalogue().catalogue;
    const GROUPS = roleCatalogue.entitlements.filter((entitlement) => entitlement.kind === 'group').map((entitlement) => entitlement.id);
    const grants = ctx.size(10_000, 1000);
    const people = 1000;
    const env = cloud.env;
    await batchPut(
      doc,
      env.EMPLOYEES_TABLE_NAME!,
      Array.from({ length: people }, (_, i) => ({ employeeId: `B${String(i).padStart(5, '0')}`, email: `b${i}@example.com`, managerEmail: `m${i % 50}@example.com`, status: 'active', emailLower: `b${i}@example.com` })),
    );
    await batchPut(
      doc,
      env.GRANTS_TABLE_NAME!,
      Array.from({ length: grants }, (_, i) => {
        const employeeId = `B${String(i % people).padStart(5, '0')}`;
        const entitlementId = GROUPS[Math.floor(i / people) % GROUPS.length]!;
        const source = timeBoundSource(`bench-${i}`);
        return { employeeId, grantKey: `${entitlementId}#time-bound#bench-${i}`, entitlementId, source, status: 'active', expiresAt: '2099-01-01T00:00:00.000Z' };
      }),
    );
    const clock = { now: () => new Date() };
    const store = createReviewStore({ client: doc, tableName: env.REVIEWS_TABLE_NAME! });
    const audit = createAuditStore({ client: doc, tableName: env.AUDIT_TABLE_NAME!, clock });
    const population = createPopulation({ client: doc, grantsTable: env.GRANTS_TABLE_NAME!, employeesTable: env.EMPLOYEES_TABLE_NAME! });
    const definition = parseDefinition({ name: 'bench', scope: { kind: 'all' }, dueInSeconds: 3600, remindEverySeconds: 600, escalationSeconds: 600, reviewers: { low: 'manager', high: 'manager' } });

    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const started = performance.now();
    const summary = await startCampaign({ store, population, catalogue: roleCatalogue, audit, clock }, { campaignId: 'bench-campaign', executionId: 'bench', definition });
    const ms = performance.now() - started;
    clearInterval(sampler);
    const rows: Row[] = [
      { suite: SUITE, metric: `start a campaign over ${grants} grants: snapshot + items + review.started`, value: ms / 1000, unit: 's', n: 1 },
      { suite: SUITE, metric: 'items written per second at start', value: summary.itemCount / (ms / 1000), unit: 'items/s', n: summary.itemCount },
      { suite: SUITE, metric: 'RSS growth while starting (peak - before)', value: (peak - rssBefore) / 2 ** 20, unit: 'MiB', n: 1 },
    ];

    // Decisions: each reviewer (a manager) decides their own items, eight reviewers at once.
    const items = await store.listItems('bench-campaign');
    const decide = ctx.size(2000, 200);
    const byReviewer = new Map<string, string[]>();
    for (const item of items.slice(0, decide)) byReviewer.set(item.reviewers[0]!, [...(byReviewer.get(item.reviewers[0]!) ?? []), item.itemId]);
    const queues = [...byReviewer];
    const t0 = performance.now();
    let decided = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let next = queues.pop(); next; next = queues.pop()) {
          const [reviewer, ids] = next;
          for (const itemId of ids) {
            const [result] = await recordDecisions({ store, audit, clock }, { campaignId: 'bench-campaign', itemIds: [itemId], reviewer, decision: 'keep', channel: 'console' });
            if (result?.outcome === 'decided') decided += 1;
          }
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    rows.push({ suite: SUITE, metric: 'reviewer decisions applied per second (8 reviewers at once)', value: decided / seconds, unit: 'decisions/s', n: decided });
    return rows;
  },
};

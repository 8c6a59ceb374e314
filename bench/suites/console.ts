import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { computeHash } from '../../functions/lib/domain/audit/chain.ts';
import { ZERO_HASH } from '../../functions/lib/domain/audit/entry.ts';
import { startLocalCloud, type LocalCloud } from '../../local/cloud.ts';
import { LOCAL_OPERATOR_GROUP } from '../../local/function-env.ts';
import { ensureConsoleBuilt, WEB_DIST } from '../../tools/console-build.ts';
import { sample } from '../lib/stats.ts';
import { scanVersusQueryRows } from './console-audit.ts';
import { latencyRows, type Row, type Suite, type SuiteContext } from '../lib/suite.ts';

/**
 * `console`: the built app's first page, gzipped (JavaScript and CSS that index.html loads; goal
 * ≤ 150 KB), and the p95 latency of each console API route on the local cloud with 1,000 people
 * and 10,000 audit entries loaded (100 / 1,000 with --quick), through the front door with a real
 * token, each beside the floor: the front door answering /_local/health. Then the audit page's
 * questions answered by a Scan (before issue #15) and by a Query (now), side by side, on 50,000
 * entries (console-audit.ts).
 */
const SUITE = 'console';
const GOAL_KB = 150;

function firstPageBytes(): { js: number; css: number } {
  const html = readFileSync(join(WEB_DIST, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(js|css))"/g)];
  let js = 0;
  let css = 0;
  for (const [, path, kind] of files) {
    const size = gzipSync(readFileSync(join(WEB_DIST, path!)), { level: 9 }).byteLength;
    if (kind === 'js') js += size;
    else css += size;
  }
  return { js, css };
}

async function load(cloud: LocalCloud, people: number, auditEntries: number): Promise<string[]> {
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  const put = async (table: string, items: Record<string, unknown>[]) => {
    for (let i = 0; i < items.length; i += 25) {
      let pending: Record<string, unknown>[] | undefined = items.slice(i, i + 25);
      while (pending && pending.length > 0) {
        const out = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: pending.map((Item) => ({ PutRequest: { Item } })) } }));
        const unprocessed: { PutRequest?: { Item?: Record<string, unknown> } }[] = out.UnprocessedItems?.[table] ?? [];
        pending = unprocessed.flatMap((r) => (r.PutRequest?.Item ? [r.PutRequest.Item] : []));
      }
    }
  };
  const ids = Array.from({ length: people }, (_, i) => `BENCH-${String(i).padStart(5, '0')}`);
  const env = cloud.env;
  await put(env.EMPLOYEES_TABLE_NAME!, ids.map((employeeId) => ({ employeeId, email: `${employeeId.toLowerCase()}@example.com`, emailLower: `${employeeId.toLowerCase()}@example.com`, role: 'engineer', status: 'active', employmentType: 'employee', startDate: '2026-01-05', managerEmail: 'dana.lead@example.com' })));
  await put(env.GRANTS_TABLE_NAME!, ids.flatMap((employeeId) => ['group:AllStaff', 'group:Engineering'].map((entitlementId) => ({ employeeId, grantKey: `${entitlementId}#role#engineer`, entitlementId, source: 'role:engineer', status: 'active', grantedAt: '2026-01-05T09:00:00.000Z', requestId: `generic-${employeeId}-hire` }))));
  const perSubject = Math.max(1, Math.floor(auditEntries / people));
  const entries: Record<string, unknown>[] = [];
  for (const subject of ids) {
    let prevHash = ZERO_HASH;
    for (let seq = 1; seq <= perSubject; seq += 1) {
      const at = new Date(Date.parse('2026-01-05T09:00:00.000Z') + seq * 1000).toISOString();
      const grant = seq % 2 === 0;
      const body = {
        subject, seq, v: 1, at, day: at.slice(0, 10), prevHash, requestId: `generic-${subject}-hire`, executionId: `generic-${subject}-hire`,
        ...(grant
          ? { kind: 'grant.applied', entitlementId: 'group:Engineering', actor: 'system:record-grants', reason: 'granted by role', detail: { basis: 'role', role: 'engineer' } }
          : { kind: 'request.received', actor: 'hris:generic', reason: 'hire received', detail: { requestType: 'joiner', deliveryId: `${subject}-${seq}`, role: 'engineer' } }),
      };
      const hash = computeHash(body);
      prevHash = hash;
      entries.push({ ...body, hash });
    }
  }
  await put(env.AUDIT_TABLE_NAME!, entries);
  doc.destroy();
  return ids;
}

async function measure(ctx: SuiteContext, cloud: LocalCloud, ids: string[]): Promise<Row[]> {
  const base = cloud.endpoints.frontdoor;
  const employee = `${ids[0]!.toLowerCase()}@example.com`;
  const tokens = {
    employee: await cloud.issueToken({ email: employee }),
    operator: await cloud.issueToken({ email: 'it-ops@example.com', groups: [LOCAL_OPERATOR_GROUP] }),
    auditor: await cloud.issueToken({ email: 'audit@example.com', groups: ['gatehouse-auditors'] }),
  };
  const routes: [string, keyof typeof tokens | undefined, string, number][] = [
    ['floor: front door /_local/health', undefined, '/_local/health', 50],
    ['GET /api/me', 'employee', '/api/me', 50],
    ['GET /api/catalogue', 'employee', '/api/catalogue', 50],
    ['GET /api/catalogue/{id}/approvers', 'employee', '/api/catalogue/group%3AProdAdmin/approvers?duration=PT2H', 50],
    ['GET /api/my/access', 'employee', '/api/my/access', 50],
    ['GET /api/approvals', 'employee', '/api/approvals', 50],
    ['GET /api/people?q=', 'operator', `/api/people?q=${encodeURIComponent(ids[ids.length - 1]!.toLowerCase())}`, 30],
    ['GET /api/people/{id}', 'operator', `/api/people/${ids[1]}`, 50],
    ['GET /api/findings', 'operator', '/api/findings', 50],
    ['GET /api/workflows', 'operator', '/api/workflows', 30],
    ['GET /api/audit/open-grants (whole table)', 'auditor', '/api/audit/open-grants', 10],
    ['GET /api/audit/chains (whole table)', 'auditor', '/api/audit/chains', 10],
  ];
  const rows: Row[] = [];
  for (const [metric, who, path, n] of routes) {
    const headers = who ? { authorization: `Bearer ${tokens[who]}` } : undefined;
    const samples = await sample(async () => {
      const res = await fetch(`${base}${path}`, { headers });
      if (res.status !== 200) throw new Error(`${metric} answered ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
    }, { warmup: 10, n: ctx.size(n, Math.min(n, 10)) });
    rows.push(...latencyRows(SUITE, metric, samples).filter((row) => row.metric.endsWith('p95')));
  }
  return rows;
}

export const consoleSuite: Suite = {
  name: SUITE,
  async run(ctx) {
    await ensureConsoleBuilt();
    const { js, css } = firstPageBytes();
    const rows: Row[] = [
      { suite: SUITE, metric: 'first page JS gzipped', value: js / 1024, unit: 'KiB', n: 1 },
      { suite: SUITE, metric: 'first page CSS gzipped', value: css / 1024, unit: 'KiB', n: 1 },
      { suite: SUITE, metric: `first page JS+CSS gzipped (goal <= ${GOAL_KB})`, value: (js + css) / 1024, unit: 'KiB', n: 1 },
    ];
    const saved = { ...process.env };
    ctx.defer(() => {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    });
    const cloud = await startLocalCloud({ dataDir: await ctx.tempDir('console'), basePort: 0, functionEnv: { POWERTOOLS_LOG_LEVEL: 'ERROR' } });
    ctx.defer(() => cloud.stop());
    const people = ctx.size(1000, 100);
    const audit = ctx.size(10_000, 1000);
    const ids = await load(cloud, people, audit);
    rows.push({ suite: SUITE, metric: `loaded: people / audit entries`, value: people, unit: `people, ${audit} entries`, n: 1 });
    rows.push(...(await measure(ctx, cloud, ids)));
    // Issue #15: the audit page's questions, Scan (before) vs Query (now), on 50,000 entries (5,000 with --quick).
    rows.push(...(await scanVersusQueryRows(ctx, SUITE, cloud.env.AUDIT_TABLE_NAME!, audit, ctx.size(50_000, 5_000))));
    return rows;
  },
};

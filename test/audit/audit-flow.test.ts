import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvalLink, decide } from '../../local/demo/approver.ts';
import { hirePayload } from '../../local/demo/hris.ts';
import { exportTableLocally } from '../../functions/lib/audit-export/local-export.ts';
import { localExportSource } from '../../functions/lib/audit-export/reader.ts';
import { runQuery, personHistory } from '../../functions/lib/audit-export/queries.ts';
import { employeeId, finishedJoiner, startE2eCloud, type E2eCloud } from '../e2e/support/e2e-cloud.ts';

let e2e: E2eCloud;
let out: string;
const ENG = employeeId('aud-eng');
const FIN = employeeId('aud-fin');

beforeAll(async () => {
  e2e = await startE2eCloud('audit');
  out = await mkdtemp(join(tmpdir(), 'gatehouse-audit-'));
  await e2e.hris.post(hirePayload({ id: ENG, role: 'engineer' }), `${ENG}-hire`);
  await e2e.hris.post(hirePayload({ id: FIN, role: 'finance-admin', managerEmail: 'dana.lead@example.com' }), `${FIN}-hire`);
  for (const approver of ['dana.lead@example.com', 'finance-owners@example.com']) {
    await decide(await approvalLink(e2e.cloud.endpoints.ses, approver, FIN), 'approve', 'ok');
  }
  await finishedJoiner(e2e.sfn, `generic-${ENG}-hire`);
  await finishedJoiner(e2e.sfn, `generic-${FIN}-hire`);
}, 120_000);

afterAll(async () => {
  await e2e?.stop();
  if (out) await rm(out, { recursive: true, force: true });
});

describe('dump', () => {
  it('dumps', async () => {
    const client = new DynamoDBClient({});
    const done = await exportTableLocally(client, { tableName: process.env.AUDIT_TABLE_NAME ?? '', outDir: out });
    for (const id of [ENG, FIN]) {
      const r = await runQuery(localExportSource(done.exportDir), personHistory(id));
      console.log(JSON.stringify(r.rows, null, 1));
    }
    expect(done.itemCount).toBeGreaterThan(0);
  });
});

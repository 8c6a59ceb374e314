/**
 * Screenshots of the approval page for a hire, a move and a time-bound request, at 1280 and 390 px
 * wide, into docs/approval-page/. The pages are rendered by the production renderer
 * (functions/lib/http/approval-page/render.ts) from fixed requests built with the shipped
 * catalogue, so no cloud is needed: `npx tsx tools/approval-page-screenshots.ts`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { entitlementSchema, type Entitlement } from '../functions/lib/domain/catalogue/schema.ts';
import type { Approval } from '../functions/lib/domain/approvals/approval.ts';
import type { ApprovalView } from '../functions/lib/domain/approvals/approval-page.ts';
import type { RequestRecord } from '../functions/lib/domain/requests/request-record.ts';
import { renderApprovalPage } from '../functions/lib/http/approval-page/render.ts';
import { launchChromium } from '../test/support/browser.ts';

const ROOT = join(import.meta.dirname, '..');
const catalogue = JSON.parse(readFileSync(join(ROOT, 'config/role-catalogue.json'), 'utf8')) as { entitlements: unknown[] };
const entitlement = (id: string): Entitlement => entitlementSchema.parse(catalogue.entitlements.find((e) => (e as { id: string }).id === id));

const base = { createdAt: '2026-03-02T09:00:00.000Z', executionId: 'arn:aws:states:eu-west-1:123456789012:execution:gatehouse-joiner:bamboohr-4f1c2d9e8a7b6c5d4e3f', executionName: 'bamboohr-4f1c2d9e8a7b6c5d4e3f' };
const manager = { kind: 'manager' as const, email: 'grace.hopper@example.com', entitlementIds: [] };
const owner = { kind: 'entitlement-owner' as const, email: 'platform-owners@example.com', entitlementIds: ['group:ProdAdmin'] };

function approval(request: RequestRecord, step: number, approver: Approval['approver']): Approval {
  return {
    itemType: 'approval', approvalId: 'apv_9QzT2mXw4Lk8bR1sV6nY0cE3', ref: 'apv-5f1e2d3c4b5a69788796a5b4', requestId: request.requestId, employeeId: request.employeeId,
    executionId: request.executionId, executionName: request.executionName, step, approver, taskToken: 'token', tokenHash: 'hash', csrfSecret: 'x'.repeat(43),
    status: 'pending', createdAt: '2026-03-02T09:00:05.000Z', expiresAt: '2026-03-05T09:00:05.000Z', expiresAtEpoch: 0, rebinds: 0,
  };
}

const hire: RequestRecord = {
  ...base, requestId: base.executionName, kind: 'joiner', employeeId: 'E-20417', employeeDisplayName: 'Ada Lovelace-Byron', role: 'platform-engineer', roleDisplayName: 'Platform Engineer',
  entitlements: ['group:AllStaff', 'group:Engineering', 'group:ProdReadOnly', 'group:ProdAdmin', 'workstation:dev-arm'].map(entitlement),
  startDate: '2026-03-16', endDate: '2026-09-30', department: 'Platform Reliability',
  decision: { decision: 'needs-approval', reason: 'high-risk entitlements need approval: group:ProdAdmin', chain: [manager, owner] },
};
const move: RequestRecord = {
  ...base, requestId: 'hibob-7a8b9c0d1e2f', kind: 'mover', employeeId: 'E-10031', employeeDisplayName: 'Katherine Johnson', role: 'data-scientist', roleDisplayName: 'Data Scientist',
  entitlements: ['group:DataScience', 'workstation:gpu'].map(entitlement), previousRole: 'engineer', removes: ['group:Engineering', 'group:ProdReadOnly', 'workstation:dev-arm'].map(entitlement),
  startDate: '2026-04-01', department: 'Research',
  decision: { decision: 'needs-approval', reason: 'high-risk entitlements need approval: workstation:gpu', chain: [manager] },
};
const timeBound: RequestRecord = {
  ...base, requestId: 'tb-01JNX4Q3R7S8T9V0W1X2Y3Z4A5', kind: 'time-bound', employeeId: 'E-20417', employeeDisplayName: 'Ada Lovelace-Byron', role: 'platform-engineer', roleDisplayName: 'Platform Engineer',
  entitlements: [entitlement('group:ProdAdmin')], requester: { employeeId: 'E-20417', email: 'ada.lovelace-byron@example.com' }, duration: 'PT2H',
  justification: 'INC-4242: database failover in eu-west-1 needs a production admin for the restore',
  decision: { decision: 'needs-approval', reason: 'high-risk entitlements need approval: group:ProdAdmin', chain: [manager, owner] },
};

const views: [string, ApprovalView][] = [
  ['hire', { approval: approval(hire, 1, owner), request: hire, state: { kind: 'open' }, csrf: 'csrf', now: new Date(), earlier: [{ step: 0, approver: manager.email, decision: 'approved', decidedAt: '2026-03-02T10:12:00.000Z', comment: 'Ada joins the on-call rota from week 2' }] }],
  ['move', { approval: approval(move, 0, manager), request: move, state: { kind: 'open' }, csrf: 'csrf', now: new Date(), earlier: [] }],
  ['time-bound', { approval: approval(timeBound, 1, owner), request: timeBound, state: { kind: 'open' }, csrf: 'csrf', now: new Date(), earlier: [{ step: 0, approver: manager.email, decision: 'approved', decidedAt: '2026-03-02T09:03:00.000Z', comment: 'OK for INC-4242, 2h only' }] }],
];

const browser = await launchChromium('browser');
try {
  for (const [name, view] of views) {
    for (const width of [1280, 390]) {
      const page = await browser.newPage({ viewport: { width, height: 800 } });
      await page.setContent(renderApprovalPage(view), { waitUntil: 'load' });
      const overflow = await page.evaluate(() => {
        const doc = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document;
        return doc.documentElement.scrollWidth - doc.documentElement.clientWidth;
      });
      const file = join(ROOT, 'docs/approval-page', `${name}-${width}.png`);
      await page.screenshot({ path: file, fullPage: true });
      console.log(`${file}${overflow > 0 ? `  (overflows by ${overflow} px)` : ''}`);
      await page.close();
    }
  }
} finally {
  await browser.close();
}

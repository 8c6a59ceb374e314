import type { Catalogue } from '../catalogue/schema.ts';
import { requireEmail, type Caller } from '../shared/caller.ts';
import type { ConsoleReads } from './ports.ts';

/** The approver's inbox: pending, unexpired approvals sent to the signed-in e-mail, with what the mailed page shows. */

export interface InboxItem {
  approvalId: string;
  employee: { employeeId: string; name: string; email: string };
  role: string | null;
  kind: string;
  entitlements: { id: string; risk: string; description: string }[];
  why: string;
  step: number;
  steps: number;
  justification: string | null;
  duration: string | null;
  requestedBy: string | null;
  expiresAt: string;
}

export async function inboxOf(deps: { reads: ConsoleReads; catalogue: Catalogue; now: () => Date }, caller: Caller): Promise<{ items: InboxItem[]; nextToken: null }> {
  const email = requireEmail(caller);
  const now = deps.now().getTime();
  const open = (await deps.reads.approvalsFor(email, 100)).filter((a) => a.status === 'pending' && Date.parse(a.expiresAt) > now);
  const items = await Promise.all(
    open.map(async (a): Promise<InboxItem | undefined> => {
      const request = await deps.reads.request(a.requestId);
      if (!request) return undefined;
      const subject = await deps.reads.employee(a.employeeId);
      return {
        approvalId: a.approvalId,
        employee: { employeeId: a.employeeId, name: request.employeeDisplayName ?? a.employeeId, email: subject?.email ?? '' },
        role: request.roleDisplayName ?? request.role ?? null,
        kind: request.kind,
        entitlements: request.entitlements.map((e) => ({ id: e.id, risk: e.risk ?? 'low', description: e.description ?? '' })),
        why: request.decision.reason ?? 'high-risk access needs approval',
        step: a.step + 1,
        steps: Array.isArray(request.decision.chain) ? request.decision.chain.length : a.step + 1,
        justification: request.justification ?? null,
        duration: request.duration === undefined ? null : typeof request.duration === 'number' ? `PT${request.duration}M` : request.duration,
        requestedBy: request.requester?.email ?? null,
        expiresAt: a.expiresAt,
      };
    }),
  );
  return { items: items.filter((i): i is InboxItem => i !== undefined), nextToken: null };
}

import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { decide } from '../../local/demo/approver.ts';
import { finishedExecution } from '../../local/demo/run.ts';
import { fetchSentMails } from '../../local/ses-local.ts';
import { until } from '../support/poll.ts';
import { userNameOf, type E2eCloud } from '../e2e/support/e2e-cloud.ts';

/**
 * What the audit lifecycle test does to the local cloud besides HRIS webhooks: time-bound
 * requests through the front door (tokens from the local OIDC issuer, as test/e2e/time-bound
 * does), approvers answering e-mailed links, and the start/stop times of executions.
 */

const LINK = /https?:\/\/[^\s"<>]+\/approvals\/[A-Za-z0-9_-]+/;

export function lifecycleActors(e2e: E2eCloud) {
  const answered = new Set<string>();
  const tokenFor = (id: string) => e2e.cloud.issueToken({ email: userNameOf(id), groups: [] });

  async function api(method: string, path: string, id: string, body?: unknown, key?: string) {
    const res = await fetch(`${e2e.frontDoor}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(id)}`, ...(key ? { 'idempotency-key': key } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  /** The link of the newest mail to `approver` about `about` not answered yet (earlier mails to them stay in the inbox). */
  async function unansweredLink(approver: string, about: string): Promise<string> {
    const link = await until(
      async () =>
        (await fetchSentMails(e2e.cloud.endpoints.ses))
          .filter((mail) => mail.destination.to.includes(approver) && (mail.body.text ?? '').includes(about))
          .map((mail) => LINK.exec(mail.body.text ?? '')?.[0])
          .find((found) => found !== undefined && !answered.has(found)),
      (found) => found !== undefined,
      { timeoutMs: 30_000, everyMs: 200, what: `an unanswered approval mail to ${approver} about ${about}` },
    );
    answered.add(link!);
    return link!;
  }

  return {
    /** Opens the approver's newest unanswered link about `about` and decides with `comment`; throws unless the page and the POST worked. */
    async answer(approver: string, about: string, decision: 'approve' | 'deny', comment: string): Promise<void> {
      const decided = await decide(await unansweredLink(approver, about), decision, comment);
      if (decided.pageStatus !== 200 || decided.decisionStatus !== 303) throw new Error(`${approver} could not ${decision} (${decided.pageStatus}/${decided.decisionStatus})`);
    },

    /** POST /access-requests as `id` for themself; answers the request id. */
    async ask(id: string, entitlementId: string, duration: string, key: string): Promise<string> {
      const res = await api('POST', '/access-requests', id, { entitlementId, duration, justification: `audit lifecycle ${key}` }, key);
      if (res.status !== 202) throw new Error(`POST /access-requests answered ${res.status} ${JSON.stringify(res.body)}`);
      return String(res.body.requestId);
    },

    /**
     * Waits for the grant execution to finish (the status turns `granted` a moment before its
     * grant.applied entry is written), then checks the status the requester sees.
     */
    async granted(id: string, requestId: string): Promise<void> {
      const execution = await finishedExecution(e2e.sfn, 'time-bound', requestId, 30_000);
      const status = (await api('GET', `/access-requests/${requestId}`, id)).body.status;
      if (execution.status !== 'SUCCEEDED' || status !== 'granted') throw new Error(`${requestId}: execution ${execution.status ?? ''}, status ${String(status)}`);
    },

    /** POST /access-requests/{id}/revoke as `id`, then waits for the revoke execution. */
    async revoke(id: string, requestId: string): Promise<string | undefined> {
      const res = await api('POST', `/access-requests/${requestId}/revoke`, id);
      if (res.status !== 202) throw new Error(`revoke answered ${res.status} ${JSON.stringify(res.body)}`);
      return (await finishedExecution(e2e.sfn, 'time-bound', `${requestId}-revoke`, 30_000)).status;
    },
  };
}

/** When an execution (by ARN) started and stopped, in ms. */
export async function executionWindow(e2e: E2eCloud, executionArn: string): Promise<{ start: number; stop: number }> {
  const described = await e2e.sfn.send(new DescribeExecutionCommand({ executionArn }));
  return { start: described.startDate?.getTime() ?? Number.NaN, stop: described.stopDate?.getTime() ?? Number.NaN };
}

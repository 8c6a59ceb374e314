import type { AuditStore } from '../audit/ports.ts';
import { tellGranted, type TimeBoundNotices } from './notices.ts';
import type { Clock } from '../shared/clock.ts';
import { grantKey } from '../grants/grants.ts';
import { isoSeconds } from '../shared/dates.ts';
import { approversOf, membershipFor } from '../grants/recording.ts';
import { clip } from '../shared/ids.ts';
import { ValidationError } from '../shared/errors.ts';
import type { TimeBoundGrants } from './ports.ts';
import type { NewGrantItem } from '../grants/item.ts';
import type { TimeBoundRequests } from './ports.ts';
import type { RecordTimeBoundGrantsInput } from './schemas.ts';
import { timeBoundSource } from '../grants/source.ts';

/**
 * Record Time-Bound Grants: the clock starts once access exists. The request is marked
 * granted with `expiresAt` = now + duration (whole seconds, fixed by the first attempt so a
 * retry keeps it), then one grant item per entitlement with source `time-bound:<requestId>`
 * (conditional put) and one grant.applied audit entry each (basis time-bound, expiresAt).
 * A break-glass request is then told to security and its after-the-fact review opened
 * (the `breakGlass` port: reviews/break-glass.ts).
 */

/** What was granted, as the break-glass follow-up needs it. */
export interface BreakGlassFacts {
  employeeId: string;
  requestId: string;
  granted: readonly string[];
  endsAt: string;
}

/** Tells security and opens the review when the request is break-glass; undefined otherwise. */
export type BreakGlassFollowUp = (facts: BreakGlassFacts) => Promise<{ reviewId: string; review: 'started' | 'exists'; notice: string } | undefined>;

export interface RecordTimeBoundGrantsDeps {
  grants: Pick<TimeBoundGrants, 'putIfAbsent'>;
  requests: Pick<TimeBoundRequests, 'markGranted'>;
  audit: Pick<AuditStore, 'append'>;
  clock: Clock;
  notices?: TimeBoundNotices;
  /** Wired where the grant is recorded: without it, a break-glass grant is neither told nor reviewed. */
  breakGlass?: BreakGlassFollowUp;
}

export interface RecordedTimeBoundGrants {
  expiresAt: string;
  grantKeys: string[];
  recorded: number;
  /** The after-the-fact review's campaign id, for a break-glass request. */
  breakGlassReview?: string;
}

export async function recordTimeBoundGrants(deps: RecordTimeBoundGrantsDeps, input: RecordTimeBoundGrantsInput): Promise<RecordedTimeBoundGrants> {
  const now = deps.clock.now();
  const candidate = isoSeconds(new Date(now.getTime() + input.durationMinutes * 60_000));
  const { grantedAt, expiresAt } = await deps.requests.markGranted(input.requestId, input.executionId, now.toISOString(), candidate);
  const source = { kind: 'time-bound' as const, requestId: input.requestId, expiresAt };
  const approvedBy = approversOf(input.results.approvals);
  const result: RecordedTimeBoundGrants = { expiresAt, grantKeys: [], recorded: 0 };

  const granted = [...input.entitlements, ...(input.accountAssignments ?? [])];
  if (granted.length === 0) throw new ValidationError('entitlements: nothing was granted, so no time-bound grant can be recorded');
  for (const entitlement of granted) {
    const item: NewGrantItem = {
      employeeId: input.employeeId,
      grantKey: grantKey(entitlement.id, source),
      entitlementId: entitlement.id,
      source: timeBoundSource(input.requestId),
      status: 'active',
      grantedAt,
      expiresAt,
      requestId: input.requestId,
      approvedBy,
      ...(entitlement.kind === 'group' ? membershipFor(input.results.identity, entitlement.id) : { userId: input.results.identity.userId }),
    };
    if (await deps.grants.putIfAbsent(item)) result.recorded += 1;
    result.grantKeys.push(item.grantKey);
    await deps.audit.append({
      kind: 'grant.applied',
      subject: input.employeeId,
      entitlementId: entitlement.id,
      actor: { type: 'system', id: 'record-time-bound-grants' },
      requestId: input.requestId,
      executionId: input.executionId,
      reason: clip(`${entitlement.id} granted just-in-time until ${expiresAt}; approved by ${approvedBy.join(', ')}`),
      idempotencyKey: `${input.executionName}/grant.applied/${entitlement.id}`,
      detail: { basis: 'time-bound', resourceId: item.membershipId, expiresAt },
    });
  }
  const facts = { employeeId: input.employeeId, requestId: input.requestId, granted: granted.map((e) => e.id), endsAt: expiresAt };
  if (deps.notices) await tellGranted(deps.notices, facts);
  const followUp = deps.breakGlass ? await deps.breakGlass(facts) : undefined;
  return followUp ? { ...result, breakGlassReview: followUp.reviewId } : result;
}

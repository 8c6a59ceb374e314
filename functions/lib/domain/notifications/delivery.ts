import type { NotificationKind } from './kinds.ts';

/**
 * What a crash between SES accepting a mail and the ledger recording it means, per kind (issue #18).
 * SES v2 SendEmail has no idempotency key
 * (https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_SendEmail.html), so after such a crash
 * a retry cannot know whether the mail went out. The ledger item then still says `sending`, its
 * lease expired and was never released (a refused send releases it). Each kind chooses:
 *
 * - `at-least-once` (the default): send again. Two copies are possible, none lost: right for every
 *   kind that tells someone access changed, failed or needs them (revoked, failed, denied, cancelled,
 *   identity conflict, break-glass, ...): missing one is a security or support problem.
 * - `at-most-once`: do not send again; the item is marked `uncertain` and the step goes on. Right
 *   for courtesy notices whose news another mail repeats or that a person can live without: the
 *   reminder before access ends, and "approved" (the granted / access-ready mail follows it).
 */
export type Delivery = 'at-least-once' | 'at-most-once';

const AT_MOST_ONCE: ReadonlySet<NotificationKind> = new Set<NotificationKind>(['approved', 'access-ending-soon']);

export const deliveryOf = (kind: NotificationKind): Delivery => (AT_MOST_ONCE.has(kind) ? 'at-most-once' : 'at-least-once');

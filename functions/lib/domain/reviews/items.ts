import type { SnapshotTriple } from '../audit/snapshot.ts';
import type { Catalogue, Entitlement, Risk } from '../catalogue/schema.ts';
import type { CampaignDefinition, Decision, ReviewerRule, Scope } from './campaign.ts';
import { timeBoundSource } from '../grants/source.ts';

/**
 * The population of a campaign: one item per active grant (employee, entitlement, source) in
 * scope at the start, frozen. Its content hash (SHA-256 of the canonical JSON of the sorted
 * `[employeeId, entitlementId, source]` triples) goes into the audit chain, so an auditor can
 * check from the export alone that every item of the snapshot got a decision.
 */

/** A grant as the snapshot reads it: `source` is the grants table's `role:<id>` or `time-bound:<requestId>`. */
export interface ActiveGrant {
  employeeId: string;
  grantKey: string;
  entitlementId: string;
  source: string;
  /** When the grant was applied, when the grants table knows (shown to the reviewer). */
  since?: string;
}

/** What reviewer routing (and the reviewer's page) needs to know about a person. */
export interface PersonFacts {
  employeeId: string;
  email: string;
  /** The name the HRIS gave, when the employees table has it. */
  name?: string;
  managerEmail?: string;
  department?: string;
}

export type ItemStatus = 'pending' | 'decided' | 'remediated';
/** `removed`: membership deleted; `kept`: another source still justifies it; `manual`: not a group, an operator removes it. */
export type Remediation = 'removed' | 'kept' | 'manual';

export interface ReviewItem {
  campaignId: string;
  /** `<employeeId>#<grantKey>`: unique per campaign, the item's sort key. */
  itemId: string;
  employeeId: string;
  /** The person's work e-mail, to refuse a self-review whoever the item is routed to. */
  personEmail: string;
  /** The person's name at the snapshot, for the reviewer (absent when the employees table had none). */
  personName?: string;
  /** When the reviewed grant was applied, when known. */
  since?: string;
  entitlementId: string;
  grantKey: string;
  source: string;
  risk: Risk;
  /** Reviewer e-mails in order; each stage must keep, any stage may revoke. Never the person. */
  reviewers: string[];
  /** Index into reviewers of who decides next (while pending). */
  stage: number;
  status: ItemStatus;
  /** Per reviewer: who takes over when that reviewer is overdue (their manager, else the owner group; never the person). */
  escalations: string[];
  decision?: Decision | 'flag';
  decidedBy?: string;
  decidedAt?: string;
  justification?: string;
  defaulted?: boolean;
  escalated?: boolean;
  remediatedAt?: string;
  remediation?: Remediation;
}

export const itemIdOf = (employeeId: string, grantKey: string): string => `${employeeId}#${grantKey}`;

const normalise = (email: string): string => email.trim().toLowerCase();

function inScope(scope: Scope, entitlement: Entitlement, person: PersonFacts, grant: ActiveGrant): boolean {
  switch (scope.kind) {
    case 'all':
      return true;
    case 'entitlements':
      return scope.entitlementIds.includes(entitlement.id);
    case 'risk':
      return scope.atLeast === 'low' || entitlement.risk === 'high';
    case 'department':
      return person.department === scope.department;
    case 'request':
      return grant.source === timeBoundSource(scope.requestId);
  }
}

/**
 * Reviewers for one item. `manager` falls back to the owner group when the person has no
 * manager; a reviewer who is the person is skipped (a self-review goes to the next reviewer:
 * manager -> owner group, owner -> manager), and when nobody else is left, to the owner group's
 * escalation (the owner group itself is never the person: it is a group mailbox).
 */
export function reviewersFor(rule: ReviewerRule, person: PersonFacts, owner: string): string[] {
  const self = normalise(person.email);
  const manager = person.managerEmail ? normalise(person.managerEmail) : undefined;
  const ownerGroup = normalise(owner);
  const wanted = rule === 'manager' ? [manager, ownerGroup] : rule === 'owner' ? [ownerGroup, manager] : [manager, ownerGroup];
  const usable = [...new Set(wanted.filter((email): email is string => email !== undefined && email !== self))];
  const count = rule === 'manager-then-owner' ? 2 : 1;
  return usable.length > 0 ? usable.slice(0, count) : [ownerGroup];
}

/** The overdue reviewer's own manager when Gatehouse knows them, else the owner group; never the person under review. */
function escalationFor(reviewer: string, byEmail: ReadonlyMap<string, PersonFacts>, owner: string, self: string): string {
  const manager = byEmail.get(reviewer)?.managerEmail;
  const candidate = manager ? normalise(manager) : owner;
  return candidate === self || candidate === reviewer ? owner : candidate;
}

export interface SnapshotInput {
  campaignId: string;
  definition: CampaignDefinition;
  catalogue: Catalogue;
  grants: readonly ActiveGrant[];
  people: ReadonlyMap<string, PersonFacts>;
}

/** The campaign's items, sorted by itemId. Grants of unknown people or entitlements are not in any scope. */
export function snapshotItems({ campaignId, definition, catalogue, grants, people }: SnapshotInput): ReviewItem[] {
  const entitlements = new Map(catalogue.entitlements.map((entitlement) => [entitlement.id, entitlement]));
  const byEmail = new Map([...people.values()].map((person) => [normalise(person.email), person]));
  const items: ReviewItem[] = [];
  for (const grant of grants) {
    const entitlement = entitlements.get(grant.entitlementId);
    const person = people.get(grant.employeeId);
    if (!entitlement || !person || !inScope(definition.scope, entitlement, person, grant)) continue;
    const reviewers = reviewersFor(definition.reviewers[entitlement.risk], person, entitlement.ownerGroupEmail);
    const owner = normalise(entitlement.ownerGroupEmail);
    const escalations = reviewers.map((reviewer) => escalationFor(reviewer, byEmail, owner, normalise(person.email)));
    items.push({
      campaignId,
      itemId: itemIdOf(grant.employeeId, grant.grantKey),
      employeeId: grant.employeeId,
      personEmail: normalise(person.email),
      ...(person.name ? { personName: person.name } : {}),
      ...(grant.since ? { since: grant.since } : {}),
      entitlementId: grant.entitlementId,
      grantKey: grant.grantKey,
      source: grant.source,
      risk: entitlement.risk,
      reviewers,
      stage: 0,
      status: 'pending',
      escalations,
    });
  }
  return items.sort((a, b) => (a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0));
}

/** The triple the snapshot hash covers, in the order the hash takes it. */
export const tripleOf = (item: Pick<ReviewItem, 'employeeId' | 'entitlementId' | 'source'>): SnapshotTriple => [item.employeeId, item.entitlementId, item.source];


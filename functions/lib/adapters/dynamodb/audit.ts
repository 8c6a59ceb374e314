import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { callAws, isAwsError } from '../aws/call-aws.ts';
import { queryAll, queryPages } from './pages.ts';
import type { Clock } from '../../domain/shared/clock.ts';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { AuditChainCorruptError, AuditIdempotencyMismatchError, AuditWriteConflictError } from '../../domain/audit/errors.ts';
import { canonicalJson, chainEntry, computeHash, validateDraft } from '../../domain/audit/chain.ts';
import { auditEntrySchema, type AuditDraft, type AuditEntry } from '../../domain/audit/entry.ts';
import type { AuditStore } from '../../domain/audit/ports.ts';

/**
 * The audit table adapter: append-only (conditional PutItem, never UpdateItem/DeleteItem).
 *
 * append(draft): read the subject's head (consistent Query, newest first), chain the draft onto
 * it, put it at head.seq + 1 under `attribute_not_exists`. A lost race re-reads and retries.
 *
 * Idempotency (draft.idempotencyKey, e.g. `<executionId>/<state name>`): before each write the
 * subject's entries newer than what this call already checked are searched for the key — the
 * newest RECENT_WINDOW items come with the head read; only if the key is not among them and the
 * partition is longer, the rest is read with a key filter (a per-employee partition is small).
 * So the check covers the whole chain, and the conditional put on head.seq + 1 guarantees nothing
 * was appended between the check and the write: a key is written at most once, also when two
 * retries race (the loser re-reads, finds the key, returns the winner's entry).
 */

export interface AuditStoreOptions {
  client: DynamoDBDocumentClient | DynamoDBClient;
  tableName: string;
  clock: Clock;
  /** Write attempts before AuditWriteConflictError (default 8). */
  maxAttempts?: number;
  /** Full-jitter backoff between attempts: random(0, min(maxMs, baseMs * 2^n)). */
  backoff?: { baseMs: number; maxMs: number };
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

const RECENT_WINDOW = 20;
const names = { '#subject': 'subject', '#seq': 'seq' };
function toEntry(item: Record<string, unknown>): AuditEntry {
  const parsed = auditEntrySchema.safeParse(item);
  if (!parsed.success) {
    const where = `${String(item.subject)}#${String(item.seq)}`;
    throw new AuditChainCorruptError(`audit entry ${where} does not match the entry schema`, { cause: parsed.error });
  }
  return parsed.data;
}

const sameFact = (entry: AuditEntry, draft: AuditDraft): boolean =>
  entry.kind === draft.kind &&
  entry.requestId === draft.requestId &&
  entry.executionId === draft.executionId &&
  entry.entitlementId === draft.entitlementId;

export function createAuditStore(options: AuditStoreOptions): AuditStore {
  const { tableName, clock } = options;
  const doc =
    options.client instanceof DynamoDBDocumentClient
      ? options.client
      : DynamoDBDocumentClient.from(options.client, { marshallOptions: { removeUndefinedValues: true } });
  const maxAttempts = options.maxAttempts ?? 8;
  const backoff = options.backoff ?? { baseMs: 10, maxMs: 250 };
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)));
  const random = options.random ?? Math.random;

  const query = (input: Omit<QueryCommandInput, 'TableName'>, doing: string) =>
    callAws(doing, () => doc.send(new QueryCommand({ TableName: tableName, ConsistentRead: true, ...input })));

  /** Entries with seq > after, newest first: up to `limit` of them, plus whether there are more. */
  async function readNewest(subject: string, after: number, limit: number) {
    const page = await query(
      {
        KeyConditionExpression: '#subject = :subject AND #seq > :after',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ':subject': subject, ':after': after },
        ScanIndexForward: false,
        Limit: limit,
      },
      'reading the latest entries',
    );
    return { entries: (page.Items ?? []).map(toEntry), more: page.LastEvaluatedKey };
  }

  /** The rest of (after, below) searched for the key, newest first; stops at the first page holding it. */
  async function findOlder(subject: string, key: string, after: number, start: Record<string, unknown>) {
    const pages = queryPages(
      doc,
      {
        TableName: tableName,
        ConsistentRead: true,
        KeyConditionExpression: '#subject = :subject AND #seq > :after',
        FilterExpression: '#key = :key',
        ExpressionAttributeNames: { ...names, '#key': 'idempotencyKey' },
        ExpressionAttributeValues: { ':subject': subject, ':after': after, ':key': key },
        ScanIndexForward: false,
        ExclusiveStartKey: start,
      },
      'searching the idempotency key',
    );
    for await (const [found] of pages) if (found) return toEntry(found);
    return undefined;
  }

  /** Conditional put at entry.seq. 'taken' when another entry holds that seq. */
  async function put(entry: AuditEntry): Promise<'written' | 'taken'> {
    try {
      await callAws('writing an entry', () =>
        doc.send(
          new PutCommand({
            TableName: tableName,
            // The canonical form: exactly what was hashed, undefined fields dropped.
            Item: JSON.parse(canonicalJson(entry)) as Record<string, unknown>,
            ConditionExpression: 'attribute_not_exists(#subject) AND attribute_not_exists(#seq)',
            ExpressionAttributeNames: names,
          }),
        ),
      );
      return 'written';
    } catch (error) {
      if (!isAwsError(error, 'ConditionalCheckFailedException')) throw error;
    }
    // The SDK retries a put whose response was lost; the retry then fails on our own item.
    const { Item } = await callAws('reading back a contested entry', () =>
      doc.send(new GetCommand({ TableName: tableName, Key: { subject: entry.subject, seq: entry.seq }, ConsistentRead: true })),
    );
    return Item?.hash === entry.hash ? 'written' : 'taken';
  }

  async function append(input: AuditDraft): Promise<AuditEntry> {
    const draft = validateDraft(input);
    const key = draft.idempotencyKey;
    let head: AuditEntry | undefined;
    /** Highest seq already searched for the key. */
    let checkedThrough = 0;
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      const newest = await readNewest(draft.subject, checkedThrough, key === undefined ? 1 : RECENT_WINDOW);
      let existing = key === undefined ? undefined : newest.entries.find((entry) => entry.idempotencyKey === key);
      if (key !== undefined && !existing && newest.more) existing = await findOlder(draft.subject, key, checkedThrough, newest.more);
      if (existing) {
        if (!sameFact(existing, draft)) {
          throw new AuditIdempotencyMismatchError(
            `idempotency key already used by ${existing.kind} entry ${existing.subject}#${existing.seq} for another fact`,
          );
        }
        return existing;
      }
      head = newest.entries[0] ?? head;
      if (head && computeHash(head) !== head.hash) {
        throw new AuditChainCorruptError(`audit entry ${head.subject}#${head.seq} does not match its hash; refusing to chain onto it`);
      }
      checkedThrough = head?.seq ?? 0;
      const entry = chainEntry(head, { ...draft, at: clock.now().toISOString() });
      if ((await put(entry)) === 'written') return entry;
      if (attempt < maxAttempts) await sleep(random() * Math.min(backoff.maxMs, backoff.baseMs * 2 ** (attempt - 1)));
    }
    throw new AuditWriteConflictError(
      `audit append for subject ${draft.subject} lost the race for the next seq ${maxAttempts} times; retry later`,
    );
  }

  async function listBySubject(subject: string): Promise<AuditEntry[]> {
    const items = await queryAll(
      doc,
      {
        TableName: tableName,
        ConsistentRead: true,
        KeyConditionExpression: '#subject = :subject',
        ExpressionAttributeNames: { '#subject': 'subject' },
        ExpressionAttributeValues: { ':subject': subject },
      },
      'listing entries',
    );
    return items.map(toEntry);
  }

  return { append, listBySubject };
}

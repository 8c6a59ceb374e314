import { SESv2Client } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchSentMails, startSesLocal, type RunningSesLocal } from '../../local/ses-local.ts';
import { localTableSpecs } from '../../local/tables.ts';
import { createNotificationMailer } from '#lib/adapters/aws/ses-notifications';
import { createNotificationLedger } from '#lib/adapters/dynamodb/notifications';
import { notificationId, sendNotification, type NotifierDeps } from '#lib/domain/notifications/send';
import { createTestTables, type TestTables } from '../support/dynamodb.ts';
import { clientConfig } from '../support/emulator.ts';
import { SAMPLES } from '../unit/notifications/fakes.ts';

/**
 * Every notification kind through the real adapters: SES v2 SendEmail into the SES emulator
 * (aws-ses-v2-local) and the ledger on DynamoDB Local. Each kind's mail is found in the inbox,
 * to the right people, with its subject and key facts; a retry of the step sends nothing.
 */
let ses: RunningSesLocal;
let sesClient: SESv2Client;
let tables: TestTables<'notifications'>;
let doc: DynamoDBDocumentClient;
let deps: NotifierDeps;

beforeAll(async () => {
  ses = await startSesLocal({ port: 0 });
  sesClient = new SESv2Client(clientConfig(ses.endpoint));
  const spec = localTableSpecs({ tablePrefix: '', frontDoorUrl: '' }).find((s) => s.create.TableName === 'notifications')!;
  tables = await createTestTables('notifications', { notifications: spec });
  doc = DynamoDBDocumentClient.from(tables.client);
  deps = {
    mailer: createNotificationMailer({ client: sesClient, from: 'gatehouse@example.com' }),
    ledger: createNotificationLedger({ client: doc, tableName: tables.names.notifications }),
    operatorEmail: 'it-ops@example.com',
    switchedOff: new Set(),
    clock: { now: () => new Date() },
  };
});
afterAll(async () => {
  sesClient.destroy();
  await ses.stop();
  await tables.drop();
});

const mailsWithSubject = async (subject: string) => (await fetchSentMails(ses.endpoint)).filter((mail) => mail.subject === subject);

describe('notifications on the SES emulator and DynamoDB Local', () => {
  it.each(SAMPLES.map((sample) => [sample.notification.kind, sample] as const))('%s: one mail, to the right people, with its facts; a retry sends none', async (_kind, sample) => {
    const first = await sendNotification(deps, sample.notification);
    const retried = await sendNotification(deps, sample.notification);

    expect(first).toMatchObject({ status: 'sent', recipients: sample.to.length, messageId: expect.any(String) });
    expect(retried).toMatchObject({ status: 'already-sent' });
    const [mail, ...more] = (await fetchSentMails(ses.endpoint)).filter((m) => m.messageId === first.messageId);
    expect(more).toEqual([]);
    expect(mail?.from).toBe('gatehouse@example.com');
    expect(mail?.destination.to).toEqual(sample.to);
    expect(mail?.subject).toMatch(sample.subject);
    for (const fact of sample.facts) expect(mail?.body.text).toContain(fact);
    expect(await mailsWithSubject(mail!.subject)).toHaveLength(1);
    const { Item } = await doc.send(new GetCommand({ TableName: tables.names.notifications, Key: { notificationId: notificationId(sample.notification) }, ConsistentRead: true }));
    expect(Item).toMatchObject({ kind: sample.notification.kind, employeeId: 'E-1001', requestId: sample.notification.requestId, sentAt: expect.any(String), messageId: first.messageId });
    expect(Item).not.toHaveProperty('leaseUntil');
  });

  it('two attempts at once send one mail: the other finds the lease taken or the mail sent', async () => {
    const notification = { ...SAMPLES[0]!.notification, requestId: 'dlv-race' };

    const outcomes = await Promise.allSettled([sendNotification(deps, notification), sendNotification(deps, notification)]);

    const sent = outcomes.filter((o) => o.status === 'fulfilled' && o.value.status === 'sent');
    expect(sent).toHaveLength(1);
    const other = outcomes.find((o) => !(o.status === 'fulfilled' && o.value.status === 'sent'));
    expect(other?.status === 'rejected' ? (other.reason as Error).name : other?.status === 'fulfilled' ? other.value.status : undefined).toMatch(/^(TransientError|already-sent)$/);
    const subject = 'Access ready for Alex Newstarter (E-1001)';
    const raced = (await mailsWithSubject(subject)).filter((m) => (m.body.text ?? '').includes('Request: dlv-race'));
    expect(raced).toHaveLength(1);
  });

  it('a send SES refuses leaves no claim behind: the next attempt sends', async () => {
    const notification = { ...SAMPLES[0]!.notification, requestId: 'dlv-refused' };
    const refusing: NotifierDeps = { ...deps, mailer: { send: () => Promise.reject(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' })) } };

    await expect(sendNotification(refusing, notification)).rejects.toThrow('Rate exceeded');
    await expect(sendNotification(deps, notification)).resolves.toMatchObject({ status: 'sent' });
  });

  it.each([
    ['access-revoked', 'at least once: mails again', 2, 'sent', 'sent'],
    ['access-ending-soon', 'at most once: marks it uncertain, mails nothing more', 1, 'maybe-sent', 'uncertain'],
  ] as const)('a crash after SES accepted %s, before the ledger recorded it: %s', async (kind, _choice, mails, retried, state) => {
    const sample = SAMPLES.find((s) => s.notification.kind === kind)!;
    const notification = { ...sample.notification, requestId: `tb-crash-${kind}` };
    let now = Date.now();
    const ledger = createNotificationLedger({ client: doc, tableName: tables.names.notifications });
    let crash = true;
    // The fault, injected between the two: SES has the mail, the process dies before markSent.
    const crashing = { ...ledger, markSent: (...args: Parameters<typeof ledger.markSent>) => (crash ? ((crash = false), Promise.reject(new Error('killed'))) : ledger.markSent(...args)) };
    const run: NotifierDeps = { ...deps, ledger: crashing, clock: { now: () => new Date(now) }, leaseSeconds: 60 };

    await expect(sendNotification(run, notification)).rejects.toThrow('killed');
    now += 61_000;
    expect(await sendNotification(run, notification)).toMatchObject({ status: retried });
    expect(await sendNotification(run, notification)).toMatchObject({ status: 'already-sent' });

    const copies = (await fetchSentMails(ses.endpoint)).filter((m) => (m.body.text ?? '').includes(`Request: ${notification.requestId}`));
    expect(copies).toHaveLength(mails);
    const { Item } = await doc.send(new GetCommand({ TableName: tables.names.notifications, Key: { notificationId: notificationId(notification) }, ConsistentRead: true }));
    expect(Item).toMatchObject({ state, sentAt: expect.any(String) });
    expect(Item).not.toHaveProperty('leaseUntil');
  });
});

import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchSentMails, startSesLocal, type RunningSesLocal } from '../../local/ses-local.ts';
import { clientConfig } from '../support/emulator.ts';

describe('SES local (aws-ses-v2-local in-process)', () => {
  let ses: RunningSesLocal;
  let client: SESv2Client;
  beforeAll(async () => {
    ses = await startSesLocal({ port: 0 });
    client = new SESv2Client(clientConfig(ses.endpoint));
  });
  afterAll(async () => {
    client.destroy();
    await ses.stop();
  });

  it('stores a sent mail where fetchSentMails finds it', async () => {
    const since = Math.floor(Date.now() / 1000);
    const link = 'http://127.0.0.1:3000/approvals/req-1?token=abc';

    const { MessageId } = await client.send(
      new SendEmailCommand({
        FromEmailAddress: 'gatehouse@example.com',
        Destination: { ToAddresses: ['approver@example.com'] },
        Content: {
          Simple: {
            Subject: { Data: 'Approve access for e-1001' },
            Body: { Html: { Data: `<a href="${link}">Review</a>` }, Text: { Data: `Review: ${link}` } },
          },
        },
      }),
    );

    const mails = await fetchSentMails(ses.endpoint, since);
    const mail = mails.find((candidate) => candidate.messageId === MessageId);
    expect(mail).toMatchObject({
      from: 'gatehouse@example.com',
      subject: 'Approve access for e-1001',
      destination: { to: ['approver@example.com'] },
      body: { html: `<a href="${link}">Review</a>`, text: `Review: ${link}` },
    });
    expect(mail?.at).toBeGreaterThanOrEqual(since);
  });

  it('leaves out mails sent before `since`', async () => {
    const future = Math.floor(Date.now() / 1000) + 3600;
    await expect(fetchSentMails(ses.endpoint, future)).resolves.toEqual([]);
  });

  it('serves the web inbox', async () => {
    const response = await fetch(ses.inboxUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
  });

  it('refuses a port that is already taken', async () => {
    const port = Number(new URL(ses.endpoint).port);
    await expect(startSesLocal({ port })).rejects.toThrow(/could not listen on 127\.0\.0\.1:\d+/);
  });
});

import { fetchSentMails, type SentMail } from '../../../local/ses-local.ts';
import { eventually } from '../../support/poll.ts';

/** Every mail in the SES emulator whose subject matches and whose text names `about` (an employee or request id). */
export async function notificationMails(ses: string, subject: RegExp, about: string): Promise<SentMail[]> {
  return (await fetchSentMails(ses)).filter((mail) => subject.test(mail.subject) && (mail.body.text ?? '').includes(about));
}

/** The one notification mail matching subject and `about`, once it arrived (fails on a second copy). */
export async function notificationMail(ses: string, subject: RegExp, about: string, timeoutMs = 10_000): Promise<SentMail> {
  const mails = await eventually(async () => {
    const found = await notificationMails(ses, subject, about);
    return found.length > 0 ? found : undefined;
  }, `a mail "${subject.source}" about ${about}`, timeoutMs);
  if (mails.length !== 1) throw new Error(`${mails.length} mails "${subject.source}" about ${about}, expected one`);
  return mails[0]!;
}

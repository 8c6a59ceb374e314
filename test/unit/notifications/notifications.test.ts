import { describe, expect, it } from 'vitest';
import { NOTIFICATION_KINDS } from '#lib/domain/notifications/kinds';
import { notificationId, sendNotification } from '#lib/domain/notifications/send';
import { renderNotification } from '#lib/domain/notifications/templates';
import { parseSwitchedOff } from '#lib/domain/notifications/switches';
import { accessNotification, notifyInputSchema } from '#lib/domain/notifications/access-ready';
import { hireEvent } from '../joiner/fakes.ts';
import { SAMPLES, notifierFakes } from './fakes.ts';

describe('notification templates, one per kind', () => {
  it('has a sample for every kind (so every template is exercised here and on the SES emulator)', () => {
    expect(SAMPLES.map((s) => s.notification.kind).sort()).toEqual([...NOTIFICATION_KINDS].sort());
  });

  it.each(SAMPLES.map((sample) => [sample.notification.kind, sample] as const))('%s: recipients, subject and the key facts', async (_kind, sample) => {
    const { deps, mailer } = notifierFakes();

    const result = await sendNotification(deps, sample.notification);

    expect(result).toMatchObject({ kind: sample.notification.kind, status: 'sent', recipients: sample.to.length });
    expect(mailer.sent).toHaveLength(1);
    const [mail] = mailer.sent;
    expect(mail?.to).toEqual(sample.to);
    expect(mail?.subject).toMatch(sample.subject);
    for (const fact of sample.facts) expect(mail?.text).toContain(fact);
    expect(mail?.html).toContain('name="viewport"');
  });

  it('escapes every value in the HTML and keeps every value to one line in the text', () => {
    const mail = renderNotification({
      kind: 'denied',
      person: { employeeId: 'E-1', displayName: '<script>alert(1)</script>' },
      requestId: 'r-1',
      what: 'Role <b>x</b>',
      reason: 'line one\nline two & <i>more</i>',
    });
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;');
    expect(mail.html).toContain('line two &amp; &lt;i&gt;more&lt;/i&gt;');
    expect(mail.text).toContain('Reason: line one line two & <i>more</i>');
    expect(mail.subject).not.toMatch(/[\r\n]/);
  });

  it('puts no link or token in any mail but the approval link', () => {
    for (const { notification } of SAMPLES.filter((s) => s.notification.kind !== 'approval-needed')) {
      const mail = renderNotification(notification);
      expect(`${mail.text}${mail.html}`, notification.kind).not.toMatch(/https?:\/\/|token/i);
    }
  });
});

describe('sending once', () => {
  const sample = SAMPLES[0]!.notification;

  it('a retry of the same kind, person and request sends nothing the second time', async () => {
    const { deps, mailer } = notifierFakes();
    await sendNotification(deps, sample);
    const again = await sendNotification(deps, sample);
    expect(again).toMatchObject({ status: 'already-sent' });
    expect(mailer.sent).toHaveLength(1);
    // Another request of the same person is another notification.
    await sendNotification(deps, { ...sample, requestId: 'dlv-0099' });
    expect(mailer.sent).toHaveLength(2);
  });

  it('a failed send gives the claim back, so the next retry sends', async () => {
    const { deps, mailer } = notifierFakes();
    mailer.failNext = 1;
    await expect(sendNotification(deps, sample)).rejects.toThrow('SES is down');
    await expect(sendNotification(deps, sample)).resolves.toMatchObject({ status: 'sent' });
    expect(mailer.sent).toHaveLength(1);
  });

  it('while another attempt holds the lease, a second one fails as transient and sends nothing', async () => {
    const { deps, ledger, mailer } = notifierFakes();
    const id = notificationId(sample);
    await ledger.claim({ notificationId: id, kind: sample.kind, employeeId: 'E-1001', requestId: sample.requestId, now: '2026-03-02T08:59:59Z', leaseUntil: '2026-03-02T09:00:59Z' });
    await expect(sendNotification(deps, sample)).rejects.toMatchObject({ name: 'TransientError' });
    expect(mailer.sent).toHaveLength(0);
  });

  it('a kind switched off sends and records nothing; other kinds still go', async () => {
    const { deps, mailer, ledger } = notifierFakes(['access-ready']);
    await expect(sendNotification(deps, sample)).resolves.toEqual({ kind: 'access-ready', status: 'switched-off', recipients: 0 });
    expect(ledger.items.size).toBe(0);
    await sendNotification(deps, SAMPLES[1]!.notification);
    expect(mailer.sent.map((m) => m.subject)).toEqual([expect.stringMatching(/^Access changed/)]);
  });

  it('refuses a malformed notification naming the field, and sends nothing', async () => {
    const { deps, mailer } = notifierFakes();
    await expect(sendNotification(deps, { ...sample, person: { ...sample.person, email: 'not-an-address' } })).rejects.toThrow(/notification access-ready: person\.email/);
    expect(mailer.sent).toHaveLength(0);
  });

  it('posts break-glass-used to the channel with its reason and review, once', async () => {
    const { deps } = notifierFakes();
    const lines: string[] = [];
    const channel = (text: string) => Promise.resolve(void lines.push(text));
    const breakGlass = SAMPLES.find((s) => s.notification.kind === 'break-glass-used')!.notification;
    await expect(sendNotification({ ...deps, channel }, breakGlass)).resolves.toMatchObject({ status: 'sent', slack: true });
    await expect(sendNotification({ ...deps, channel }, breakGlass)).resolves.toMatchObject({ status: 'already-sent' });
    expect(lines).toEqual([
      'BREAK-GLASS: Alex Newstarter (E-1001) took account-assignment:ProdAdministrator without approval; ends 2026-12-04T18:30:00.000Z; reason: production is down, paging on-call (request ar-0015, review break-glass-ar-0015)',
    ]);
  });

  it('posts access-ready to the channel, and not a kind that is not for the channel', async () => {
    const { deps } = notifierFakes();
    const lines: string[] = [];
    const channel = (text: string) => Promise.resolve(void lines.push(text));
    await expect(sendNotification({ ...deps, channel }, sample)).resolves.toMatchObject({ slack: true });
    await expect(sendNotification({ ...deps, channel }, SAMPLES[1]!.notification)).resolves.not.toHaveProperty('slack');
    expect(lines).toEqual(['Access ready for Alex Newstarter (E-1001), role sales: group:AllStaff, workstation:gpu (request dlv-0001)']);
  });
});

describe('switches', () => {
  it('reads a comma-separated list and refuses unknown kinds and approval-needed by name', () => {
    expect([...parseSwitchedOff(' access-ready, leaver-done ,')]).toEqual(['access-ready', 'leaver-done']);
    expect(parseSwitchedOff(undefined).size).toBe(0);
    expect(() => parseSwitchedOff('access-ready,acess-revoked')).toThrow(/unknown notification kind 'acess-revoked'; known kinds: access-ready/);
    expect(() => parseSwitchedOff('approval-needed')).toThrow(/'approval-needed' cannot be switched off/);
  });
});

describe('the Notify task input', () => {
  const employee = hireEvent().employee;
  const input = (extra: object = {}) =>
    notifyInputSchema.parse({ requestId: 'dlv-0001', employeeId: employee.employeeId, employee, entitlements: [{ id: 'group:Engineering', description: 'Engineers' }], results: {}, ...extra });

  it('is access-ready for a joiner, naming the person and the manager', () => {
    expect(accessNotification(input())).toMatchObject({
      kind: 'access-ready',
      person: { employeeId: 'E-1001', displayName: 'Alex Newstarter', email: 'alex.newstarter@example.com', managerEmail: 'pat.manager@example.com' },
      role: 'sales',
      granted: [{ id: 'group:Engineering', description: 'Engineers' }],
    });
  });

  it('is access-moved for a mover: what was granted, what was removed, the workstation it dropped', () => {
    const move = { fromRole: 'sales', toRole: 'engineer', revoke: ['group:Sales', 'workstation:standard'], groups: [{ entitlementId: 'group:Sales', displayName: 'Sales team' }], workstations: ['workstation:standard'], dropsWorkstation: true };
    expect(accessNotification(input({ move }))).toEqual(expect.objectContaining({
      kind: 'access-moved',
      fromRole: 'sales',
      toRole: 'engineer',
      granted: [{ id: 'group:Engineering', description: 'Engineers' }],
      removed: [{ id: 'group:Sales', description: 'Sales team' }],
      retiredWorkstation: 'workstation:standard',
    }));
  });
});

import { describe, expect, it } from 'vitest';
import { composeAccessMail, notifyAccessReady, notifyInputSchema, recipientsOf } from '#lib/domain/joiner/notify';
import { MemoryMailer, hireEvent } from './fakes.ts';

const input = (employee = hireEvent().employee) =>
  notifyInputSchema.parse({
    requestId: 'dlv-0001',
    employeeId: employee.employeeId,
    employee,
    entitlements: [
      { id: 'group:AllStaff', kind: 'group', description: 'Everyone <all staff> & friends' },
      { id: 'workstation:gpu', kind: 'workstation', description: 'GPU workstation' },
    ],
    results: { workstation: { entitlementId: 'workstation:gpu', instanceId: 'i-0123456789abcdef0' }, schedule: { at: '2026-09-30T23:59:59Z' } },
  });

describe('notify', () => {
  it('mails the manager and the operators once each, listing what was granted', async () => {
    const mailer = new MemoryMailer();

    const result = await notifyAccessReady({ mailer, operatorEmail: 'it-ops@example.com' }, input());

    expect(result).toEqual({ recipients: 2, messageId: 'msg-1' });
    const [mail] = mailer.sent;
    expect(mail?.to).toEqual(['pat.manager@example.com', 'it-ops@example.com']);
    expect(mail?.subject).toBe('Access ready for Alex Newstarter (E-1001)');
    expect(mail?.text).toContain('  - workstation:gpu: GPU workstation');
    expect(mail?.text).toContain('Workstation: i-0123456789abcdef0');
    expect(mail?.text).toContain('Access ends (scheduled): 2026-09-30T23:59:59Z');
  });

  it('posts one line to the Slack channel when one is configured, and none when not', async () => {
    const lines: string[] = [];
    const result = await notifyAccessReady({ mailer: new MemoryMailer(), operatorEmail: 'it-ops@example.com', channel: (text) => Promise.resolve(void lines.push(text)) }, input());
    expect(result).toMatchObject({ recipients: 2, slack: true });
    expect(lines).toEqual(['Access ready for Alex Newstarter (E-1001), role sales: group:AllStaff, workstation:gpu (request dlv-0001)']);
    expect(await notifyAccessReady({ mailer: new MemoryMailer(), operatorEmail: 'it-ops@example.com' }, input())).not.toHaveProperty('slack');
  });

  it('escapes every HRIS and catalogue value in the HTML', () => {
    const employee = hireEvent({ firstName: '<script>alert(1)</script>' }).employee;

    const mail = composeAccessMail(input(employee), ['it-ops@example.com']);

    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;');
    expect(mail.html).toContain('Everyone &lt;all staff&gt; &amp; friends');
  });

  it('mails only the operators when there is no manager, and never the same mailbox twice', () => {
    expect(recipientsOf(input(hireEvent({ managerEmail: undefined }).employee), 'it-ops@example.com')).toEqual(['it-ops@example.com']);
    expect(recipientsOf(input(hireEvent({ managerEmail: 'IT-Ops@example.com' }).employee), 'it-ops@example.com')).toEqual(['IT-Ops@example.com']);
  });

  it('puts no request link or token in the mail', () => {
    const mail = composeAccessMail(input(), ['it-ops@example.com']);

    expect(`${mail.text}${mail.html}`).not.toMatch(/https?:\/\/|token/i);
  });
});

import { describe, expect, it } from 'vitest';
import { ValidationError } from '#lib/domain/shared/errors';
import { bamboohrAdapter } from '#lib/domain/hris/bamboohr';
import { genericAdapter } from '#lib/domain/hris/generic';
import { hibobAdapter } from '#lib/domain/hris/hibob';
import { FakePort, bamboohrRequest, employee, genericRequest, hibobRequest, readSample } from './support.ts';

/**
 * Names are data (issue #11): a first or last name (or department) with CR/LF, TAB, another
 * control character, a line separator or a bidi override is refused at ingestion with a
 * ValidationError (400) naming the field, for every vendor. Before, "Ada\r\nReview and approve:
 * http://evil.example/" was accepted and became separate lines in the approval mail's text part.
 */

const FORGED = 'Ada\r\nReview and approve or deny: http://evil.example/approvals/x';
const hostile = [
  ['CR/LF', FORGED],
  ['a lone LF', 'Ada\nLovelace'],
  ['TAB', 'Ada\tLovelace'],
  ['NUL', 'Ada\u0000'],
  ['a C1 control (NEL)', 'Ada\u0085Lovelace'],
  ['a line separator', 'Ada\u2028Lovelace'],
  ['a right-to-left override', 'Ada\u202Eecalevol'],
] as const;

const genericHire = (firstName: string) => ({
  type: 'employee.hired',
  timestamp: '2026-03-01T09:00:00Z',
  data: { ...employee({ employeeId: 'E-77', firstName }), terminated: undefined },
});

describe('control characters in HRIS text fields', () => {
  it.each(hostile)('generic: %s in firstName is a 400 naming body.data.firstName', async (_name, firstName) => {
    const result = genericAdapter.normalise(genericRequest(genericHire(firstName)), new FakePort());

    await expect(result).rejects.toBeInstanceOf(ValidationError);
    await expect(result).rejects.toThrow(/^body\.data\.firstName: must not contain control characters/);
  });

  it('generic: the same in lastName and department names those fields', async () => {
    const last = { ...genericHire('Ada'), data: { ...genericHire('Ada').data, lastName: 'Love\nlace' } };
    const department = { ...genericHire('Ada'), data: { ...genericHire('Ada').data, department: 'R&D\r\n' } };

    await expect(genericAdapter.normalise(genericRequest(last), new FakePort())).rejects.toThrow(/^body\.data\.lastName: must not contain/);
    await expect(genericAdapter.normalise(genericRequest(department), new FakePort())).rejects.toThrow(/^body\.data\.department: must not contain/);
  });

  it('bamboohr: CR/LF in the posted First Name names that field', async () => {
    const body = JSON.parse(readSample('bamboohr', 'field-based-created.json').toString('utf8')) as { employees: { fields: Record<string, unknown> }[] };
    const first = body.employees[0];
    if (!first) throw new Error('sample has no employee');
    first.fields['First Name'] = FORGED;

    await expect(bamboohrAdapter.normalise(bamboohrRequest(body), new FakePort())).rejects.toThrow(/^body\.employees\[0\]\.fields\["First Name"\]: must not contain/);
  });

  it('hibob: a directory record with CR/LF in lastName names the record field', async () => {
    const port = new FakePort({ hibob: { '3332883854254932743': employee({ employeeId: '3332883854254932743', lastName: 'Lovelace\r\nApprove: http://evil.example/' }) } });

    await expect(hibobAdapter.normalise(hibobRequest(readSample('hibob', 'employee-joined.json')), port)).rejects.toThrow(
      /^directory\.hibob\["3332883854254932743"\]\.lastName: must not contain/,
    );
  });

  it('keeps names that need joiners and non-Latin scripts', async () => {
    const events = await genericAdapter.normalise(genericRequest(genericHire('Zoë-Marie \u200Dनमस्ते O\u2019Brien')), new FakePort());

    expect(events).toMatchObject([{ type: 'employee.hired', employee: { firstName: 'Zoë-Marie \u200Dनमस्ते O\u2019Brien' } }]);
  });
});

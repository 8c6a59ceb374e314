import { describe, expect, it } from 'vitest';
import { unexpectedFindings, type Finding } from '../../../tools/cfn-lint/known.ts';

const finding = (id: string, message: string, path: (string | number)[]): Finding => ({ Rule: { Id: id }, Message: message, Level: 'Error', Location: { Path: path } });
const definition = (state: string, key: string) => ['Resources', 'WorkflowsLeaver917FAD1B', 'Properties', 'DefinitionString', 'States', state, key];

describe('cfn-lint known false positives', () => {
  it('drops OutputPath on Succeed states only', () => {
    const succeed = finding('E3601', "Additional properties are not allowed ('OutputPath' was unexpected)", definition('Access Removed', 'OutputPath'));
    const task = finding('E3601', "Additional properties are not allowed ('OutputPath' was unexpected)", definition('Record Leave', 'OutputPath'));
    const other = finding('E3601', "Additional properties are not allowed ('Foo' was unexpected)", definition('Access Removed', 'Foo'));
    expect(unexpectedFindings([succeed, task, other], new Set(['Access Removed']))).toEqual([task, other]);
  });

  it("drops W3005 only for CDK's DependsOn on the role a GetAtt already names", () => {
    const role = finding('W3005', "'FnRoleCC962C73' dependency already enforced by a 'GetAtt' at 'Resources/FnB6077F74/Properties/Role'", ['Resources', 'FnB6077F74', 'DependsOn', 1]);
    const machine = finding('W3005', "'MRole4EF7922D' dependency already enforced by a 'GetAtt' at 'Resources/M917FAD1B/Properties/RoleArn'", ['Resources', 'M917FAD1B', 'DependsOn', 1]);
    const table = finding('W3005', "'TableA' dependency already enforced by a 'Ref' at 'Resources/Fn/Properties/Environment'", ['Resources', 'Fn', 'DependsOn', 0]);
    expect(unexpectedFindings([role, machine, table], new Set())).toEqual([table]);
  });
});

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { AUDITOR_GROUP_DEFAULT } from '../infra/spec/console.ts';
import { LOCAL_OPERATOR_GROUP } from './function-env.ts';
import type { DemoPerson } from './oidc-login-page.ts';

/** The people the demo's approvals go to, and an operator and an auditor, always on the login page. */
export const DEMO_PERSONAS: readonly DemoPerson[] = [
  { email: 'it-ops@example.com', name: 'IT operations', groups: [LOCAL_OPERATOR_GROUP], note: 'operator' },
  { email: 'audit@example.com', name: 'Internal audit', groups: [AUDITOR_GROUP_DEFAULT], note: 'auditor' },
  { email: 'dana.lead@example.com', name: 'Dana Lead', groups: [], note: 'manager: approves high-risk requests first' },
  { email: 'platform-owners@example.com', name: 'Platform owners', groups: [], note: 'owner of the production groups' },
  { email: 'data-owners@example.com', name: 'Data owners', groups: [], note: 'owner of the data groups' },
  { email: 'finance-owners@example.com', name: 'Finance owners', groups: [], note: 'owner of the finance groups' },
];

/** How many employees the login page lists besides the personas (the newest first is not knowable from a Scan: any 25). */
const EMPLOYEES_SHOWN = 25;

/** The personas, then active employees from the employees table (who may request access; the table keeps no names). */
export function demoPeople(employeesTable: string): () => Promise<DemoPerson[]> {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  return async () => {
    const out = await client.send(
      new ScanCommand({
        TableName: employeesTable,
        ProjectionExpression: 'email, employeeId, #role, #status',
        ExpressionAttributeNames: { '#role': 'role', '#status': 'status' },
        Limit: 200,
      }),
    );
    const employees = (out.Items ?? [])
      .filter((item) => item.status === 'active' && typeof item.email === 'string')
      .slice(0, EMPLOYEES_SHOWN)
      .map((item): DemoPerson => ({ email: String(item.email).toLowerCase(), name: String(item.employeeId), groups: [], note: `employee, ${String(item.role)}` }))
      .sort((a, b) => a.name.localeCompare(b.name));
    const personas = new Set(DEMO_PERSONAS.map((p) => p.email));
    return [...DEMO_PERSONAS, ...employees.filter((e) => !personas.has(e.email))];
  };
}

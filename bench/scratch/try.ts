import { SFNClient, DescribeExecutionCommand, GetExecutionHistoryCommand } from '@aws-sdk/client-sfn';
import { startLocalCloud } from '../../local/cloud.ts';
import { DemoHris, hirePayload } from '../../local/demo/hris.ts';
import { stateMachineArn } from '../../local/core/arn.ts';
const t0 = performance.now();
const cloud = await startLocalCloud({ basePort: 0, ec2PendingMs: Number(process.env.PM ?? 2000) });
console.log('boot', performance.now() - t0);
const hris = new DemoHris(cloud.endpoints.frontdoor);
const sfn = new SFNClient({});
for (const role of ['engineer', 'engineer', 'sales']) {
  const id = `B-${Date.now().toString(36)}`;
  const sent = Date.now();
  const r = await hris.post(hirePayload({ id, role }), `d-${id}`);
  const posted = Date.now();
  const arn = `${stateMachineArn('joiner').replace(':stateMachine:', ':execution:')}:generic-d-${id}`;
  for (;;) {
    const out = await sfn.send(new DescribeExecutionCommand({ executionArn: arn })).catch(() => undefined);
    if (out && out.status !== 'RUNNING') { console.log(role, r.status, posted - sent, out.status, out.startDate, out.stopDate, out.stopDate!.getTime() - sent); break; }
    await new Promise((res) => setTimeout(res, 20));
  }
  const h = await sfn.send(new GetExecutionHistoryCommand({ executionArn: arn, maxResults: 1000 }));
  const types = (h.events ?? []).map((e) => e.type + ':' + (e.stateEnteredEventDetails?.name ?? ''));
  console.log(types.join('\n'));
}
await cloud.stop();

/**
 * `npm run gatehouse -- <command>`:
 *   leave | token    the operator kill switch and local tokens (tools/operator-cli.ts)
 *   reconcile ...    report drift, or remove a reviewed plan (tools/reconcile-cli.ts)
 *   catalogue ...    validate, diff and explain role catalogues (tools/catalogue-cli.ts)
 *   audit ...        export, verify and query the audit trail (functions/lib/runtime/audit-export-cli.ts);
 *                    `npm run audit -- ...` is the same
 */
import { USAGE as AUDIT_USAGE, runCli } from '../functions/lib/runtime/audit-export-cli.ts';
import { CATALOGUE_USAGE, runCatalogueCli } from './catalogue-cli.ts';
import { OPERATOR_USAGE, runOperatorCli } from './operator-cli.ts';
import { RECONCILE_USAGE, runReconcileCli } from './reconcile-cli.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const io = { stdout: (text: string) => process.stdout.write(text), stderr: (text: string) => process.stderr.write(text) };
const [area, ...argv] = process.argv.slice(2);
if (area === 'leave' || area === 'token') {
  process.exitCode = await runOperatorCli(process.argv.slice(2), io, { env: process.env, fetch, cwd: process.cwd() });
} else if (area === 'reconcile') {
  process.exitCode = await runReconcileCli(argv, io, { env: process.env, cwd: process.cwd() });
} else if (area === 'catalogue') {
  process.exitCode = runCatalogueCli(argv, io, { cwd: process.cwd() });
} else if (area === undefined || area === 'help' || area === '--help' || area === '-h') {
  io.stdout(`${OPERATOR_USAGE}\n${RECONCILE_USAGE}\n${CATALOGUE_USAGE}\n${AUDIT_USAGE}`);
  process.exitCode = area === undefined ? 2 : 0;
} else {
  const args = area === 'audit' ? argv : process.argv.slice(2);
  process.exitCode = await runCli(args, io);
}

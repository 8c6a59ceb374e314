/**
 * `npm run gatehouse -- <command>`: every command answers `--help` (exit 0), exits 2 with one
 * line for a usage error, and never prints a stack trace for a failure it can foresee
 * (tools/cli/errors.ts maps them once).
 *   leave | token     the operator kill switch and local tokens (tools/operator-cli.ts)
 *   reconcile ...     report drift, or remove a reviewed plan (tools/reconcile-cli.ts)
 *   hris send ...     send a signed sample webhook as the HRIS would (tools/hris-send.ts)
 *   hris ...          play HR in the local HRIS: list, add, change, terminate, fault (tools/hris-cli.ts)
 *   catalogue ...     validate, diff and assign (tools/catalogue-cli.ts); impact, explain, converge against the
 *                     live tables (tools/catalogue-live-cli.ts)
 *   status <id>       what happened to a person or a request, in words (tools/status-cli.ts)
 *   requests, revoke, withdraw, extend  list requests; end a time-bound grant early with a reason; take back a
 *                     pending one; extend one (tools/requests-cli.ts)
 *   review ...        access review campaigns: start, status, remind, close, report (tools/review-cli.ts)
 *   adopt ...         day one in an existing company: plan, then apply, the adoption (tools/adopt-cli.ts)
 *   audit ...         export, verify and query the audit trail (functions/lib/runtime/audit-export-cli.ts);
 *                     `npm run audit -- ...` is the same
 */
import { USAGE as AUDIT_USAGE, runCli } from '../functions/lib/runtime/audit-export-cli.ts';
import { CATALOGUE_USAGE, runCatalogueCli } from './catalogue-cli.ts';
import { CATALOGUE_LIVE_USAGE, LIVE_CATALOGUE_COMMANDS, runCatalogueLiveCli } from './catalogue-live-cli.ts';
import { runCommand } from './cli/errors.ts';
import { HRIS_SEND_USAGE, runHrisSend } from './hris-send.ts';
import { OPERATOR_USAGE, runOperatorCli } from './operator-cli.ts';
import { HRIS_USAGE, runHrisCli } from './hris-cli.ts';
import { RECONCILE_USAGE, runReconcileCli } from './reconcile-cli.ts';
import { STATUS_USAGE, runStatus } from './status-cli.ts';
import { REQUESTS_USAGE, runRequestsCli } from './requests-cli.ts';
import { REVIEW_USAGE, runReviewCli } from './review-cli.ts';
import { ADOPT_USAGE, runAdoptCli } from './adopt-cli.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const io = { stdout: (text: string) => process.stdout.write(text), stderr: (text: string) => process.stderr.write(text) };
const deps = { env: process.env, fetch, cwd: process.cwd() };

const OVERVIEW = `usage: npm run gatehouse -- <command> [--help]
  leave, token     the operator kill switch; local bearer tokens
  reconcile        drift report, or removal of a reviewed plan
  hris send        send a signed HRIS webhook (a sample file) and follow its workflow
  hris list|add|change|terminate|fault   play HR in the local HRIS (its webhooks follow)
  catalogue        validate, diff and explain role catalogues
  status           what a person has and what happened to them or to a request
  requests         list requests (--mine, --employee, --kind, --status)
  revoke           end a time-bound grant now, with --reason
  extend           ask to extend a time-bound grant, --by PT2H --reason "..."
  withdraw         take back a request still waiting for approval [--reason]
  review           access review campaigns: start, status, remind, close, report
  adopt            adopt an existing company's people and Identity Center (dry run, then --apply)
  audit            export, verify and query the audit trail (npm run audit -- ... is the same)
Each command prints its own usage with --help.
`;

const [area, ...argv] = process.argv.slice(2);
switch (area) {
  case 'leave':
  case 'token':
    process.exitCode = await runOperatorCli(process.argv.slice(2), io, deps);
    break;
  case 'reconcile':
    process.exitCode = await runReconcileCli(argv, io, deps);
    break;
  case 'hris':
    process.exitCode = argv[0] === 'send' ? await runHrisSend(argv, io, deps) : await runHrisCli(argv, io, deps);
    break;
  case 'catalogue':
    process.exitCode = LIVE_CATALOGUE_COMMANDS.has(argv[0] ?? '') ? await runCatalogueLiveCli(argv, io, deps) : runCatalogueCli(argv, io, { cwd: process.cwd() });
    break;
  case 'status':
    process.exitCode = await runStatus(argv, io, deps);
    break;
  case 'requests':
  case 'revoke':
  case 'extend':
  case 'withdraw':
    process.exitCode = await runRequestsCli(area, argv, io, deps);
    break;
  case 'review':
    process.exitCode = await runCommand('review', REVIEW_USAGE, argv, io, () => runReviewCli(argv, io, deps));
    break;
  case 'adopt':
    process.exitCode = await runAdoptCli(argv, io, deps);
    break;
  case 'audit':
    process.exitCode = await runCommand('audit', AUDIT_USAGE, argv, io, () => runCli(argv, io));
    break;
  case undefined:
  case 'help':
  case '--help':
  case '-h':
    io.stdout(`${OVERVIEW}\n${OPERATOR_USAGE}\n${RECONCILE_USAGE}\n${HRIS_SEND_USAGE}\n${HRIS_USAGE}\n${CATALOGUE_USAGE}\n${CATALOGUE_LIVE_USAGE}\n${STATUS_USAGE}\n${REQUESTS_USAGE}\n${REVIEW_USAGE}\n${ADOPT_USAGE}\n${AUDIT_USAGE}`);
    process.exitCode = area === undefined ? 2 : 0;
    break;
  default:
    // `npm run audit -- export ...` arrives here as `gatehouse audit export`, but older habits
    // (`npm run gatehouse -- export ...`) still work for the audit commands.
    if (area === 'export' || area === 'verify' || area === 'query') {
      const args = process.argv.slice(2);
      process.exitCode = await runCommand('audit', AUDIT_USAGE, args, io, () => runCli(args, io));
    } else {
      io.stderr(`gatehouse: unknown command ${area} (npm run gatehouse -- --help lists them)\n`);
      process.exitCode = 2;
    }
}

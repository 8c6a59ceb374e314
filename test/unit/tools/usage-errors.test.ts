import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, DynamoDBClient, ResourceNotFoundException, ScanCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCommand, type CliIo } from '../../../tools/cli/errors.ts';
import { runHrisSend } from '../../../tools/hris-send.ts';
import { runOperatorCli } from '../../../tools/operator-cli.ts';
import { runReconcileCli } from '../../../tools/reconcile-cli.ts';
import { runStatus } from '../../../tools/status-cli.ts';
import { runRequestsCli } from '../../../tools/requests-cli.ts';
import { runHrisCli } from '../../../tools/hris-cli.ts';
import { runCatalogueCli } from '../../../tools/catalogue-cli.ts';
import { runCatalogueLiveCli } from '../../../tools/catalogue-live-cli.ts';
import { REVIEW_USAGE, runReviewCli } from '../../../tools/review-cli.ts';
import { runAdoptCli } from '../../../tools/adopt-cli.ts';
import { USAGE as AUDIT_USAGE, runCli } from '../../../functions/lib/runtime/audit-export-cli.ts';

/**
 * Every command of `npm run gatehouse -- ...` answers a usage error with exit 2 and exactly one
 * line naming what is wrong, calls nothing, and answers --help with its usage and exit 0.
 */
function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (t) => void out.push(t), stderr: (t) => void err.push(t) };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

const noNetwork = (() => Promise.reject(new Error('the test must not call the network'))) as typeof fetch;
const deps = { env: { GATEHOUSE_DATA_DIR: '/nonexistent-gatehouse' }, cwd: '/nonexistent', fetch: noNetwork };
const neverInvoked = () => Promise.reject(new Error('the test must not invoke the function'));
const audit = (argv: string[], io: CliIo) => runCommand('audit', AUDIT_USAGE, argv, io, () => runCli(argv, io));

type Runner = (argv: string[], io: CliIo) => Promise<number>;
const COMMANDS: Record<string, Runner> = {
  leave: (argv, io) => runOperatorCli(['leave', ...argv], io, deps),
  token: (argv, io) => runOperatorCli(['token', ...argv], io, deps),
  reconcile: (argv, io) => runReconcileCli(argv, io, { ...deps, invoker: neverInvoked }),
  hris: (argv, io) => runHrisSend(argv, io, deps),
  status: (argv, io) => runStatus(argv, io, deps),
  requests: (argv, io) => runRequestsCli('requests', argv, io, deps),
  revoke: (argv, io) => runRequestsCli('revoke', argv, io, deps),
  extend: (argv, io) => runRequestsCli('extend', argv, io, deps),
  withdraw: (argv, io) => runRequestsCli('withdraw', argv, io, deps),
  // `hris list|add|change|terminate|fault` (playing HR in the local HRIS); `hris send` is `hris` above.
  'hris (local HR)': (argv, io) => runHrisCli(argv, io, deps),
  catalogue: (argv, io) => Promise.resolve(runCatalogueCli(argv, io, { cwd: '/nonexistent' })),
  'catalogue (live)': (argv, io) => runCatalogueLiveCli(argv, io, deps),
  // tools/gatehouse.ts runs review through runCommand, as here.
  review: (argv, io) => runCommand('review', REVIEW_USAGE, argv, io, () => runReviewCli(argv, io, deps)),
  adopt: (argv, io) => runAdoptCli(argv, io, deps),
  audit,
};

describe('usage errors: exit 2, one line, nothing called', () => {
  it.each([
    ['leave', [], 'leave takes exactly one employee id'],
    ['leave', ['E1', '--reason', 'laptop stolen', '--frobnicate'], "Unknown option '--frobnicate'"],
    ['token', [], 'token needs --email <email>'],
    ['token', ['--email', 'a@example.com', '--expires', 'soon'], '--expires takes whole seconds'],
    ['reconcile', ['--confirm', 'deadbeef', '--remove'], '--confirm deadbeef is not a plan fingerprint'],
    ['reconcile', ['--run-date', 'yesterday'], '--run-date yesterday is not a date: use YYYY-MM-DD'],
    ['reconcile', ['--run-date', '2026-02-30'], '--run-date 2026-02-30 is not a date'],
    ['reconcile', ['--confirm', '0123456789abcdef'], '--confirm goes with --remove'],
    ['reconcile', ['now'], 'reconcile takes no arguments'],
    ['hris', [], 'hris send is the command here (got nothing)'],
    ['hris', ['send', 'workday', 'x.json'], 'the source must be one of generic, bamboohr, hibob'],
    ['hris', ['send', 'generic'], 'hris send takes one file'],
    ['hris', ['send', 'hibob', 'x.json', '--delivery-id', 'd1'], '--delivery-id is for generic only'],
    ['hris', ['send', 'generic', 'x.json', '--timeout', 'long'], '--timeout long is not a number'],
    ['status', [], 'status takes one employee id or request id'],
    ['status', ['E1', '--last', '0'], '--last 0 is not a positive whole number'],
    ['requests', ['E1'], 'requests takes no arguments (got E1); filter with --employee, --kind, --status, --mine'],
    ['requests', ['--kind', 'hire'], '--kind hire is not one of joiner, mover, leaver, time-bound, extension'],
    ['requests', ['--mine'], '--mine needs who you are: --as <email> or $GATEHOUSE_EMAIL'],
    ['requests', ['--mine', '--as', 'bob'], '--as bob is not an e-mail address'],
    ['requests', ['--last', 'all'], '--last all is not a positive whole number'],
    ['revoke', [], 'revoke takes exactly one request id'],
    ['extend', [], 'extend takes exactly one request id or grant id'],
    ['extend', ['ar-1', '--reason', 'INC-4242 still open'], 'extend needs --by <duration> (ISO-8601 weeks/days/hours/minutes, e.g. PT2H or P1D)'],
    ['extend', ['ar-1', '--by', '2h', '--reason', 'INC-4242 still open'], '--by 2h is not an ISO-8601 duration in W/D/H/M (e.g. PT30M, PT2H, P1D)'],
    ['extend', ['ar-1', '--by', 'PT2H'], 'extend needs --reason "<why>" (10-500 characters; approvers read it and it is audited)'],
    ['extend', ['ar-1', '--by', 'PT2H', '--reason', 'short'], '--reason is 5 characters; 10-500'],
    ['extend', ['group:ProdAdmin#role#sales', '--by', 'PT2H', '--reason', 'INC-4242 still open'], 'group:ProdAdmin#role#sales is neither a request id nor a time-bound grant id (<entitlementId>#time-bound#<requestId>)'],
    ['extend', ['ar-1', '--by', 'PT2H', '--reason', 'INC-4242 still open', '--local'], 'extend --local needs --as <email>: the holder or their manager'],
    ['revoke', ['ar-1'], 'revoke needs --reason "<why>" (1-500 characters; it is audited and told to the holder)'],
    ['revoke', ['ar-1', '--reason', '   '], 'revoke needs --reason "<why>" (1-500 characters; it is audited and told to the holder)'],
    ['revoke', ['ar-1', '--reason', 'x'.repeat(501)], '--reason is 501 characters; at most 500'],
    ['revoke', ['ar-1', '--reason', 'done', '--as', 'a@example.com'], '--as goes with --local'],
    ['withdraw', [], 'withdraw takes exactly one request id'],
    ['withdraw', ['ar-1', 'ar-2'], 'withdraw takes exactly one request id'],
    ['withdraw', ['ar-1', '--reason', '  '], '--reason is empty; say why in 1-500 characters, or leave --reason out'],
    ['withdraw', ['ar-1', '--reason', 'x'.repeat(501)], '--reason is 501 characters; at most 500'],
    ['withdraw', ['ar-1', '--as', 'a@example.com'], '--as goes with --local'],
    ['withdraw', ['ar-1', '--frobnicate'], "Unknown option '--frobnicate'"],
    ['hris (local HR)', ['promote'], 'unknown hris command promote'],
    ['hris (local HR)', ['add', '--vendor', 'hibob'], 'hris add needs --vendor and --id'],
    ['hris (local HR)', ['list', '--bogus'], "Unknown option '--bogus'"],
    ['catalogue', [], 'missing command'],
    ['catalogue', ['validate'], 'validate needs at least one file'],
    ['catalogue', ['diff', 'a.json'], 'diff needs <old> <new>'],
    ['catalogue', ['frob'], "unknown command 'frob'"],
    ['catalogue (live)', ['impact'], 'catalogue impact takes one argument'],
    ['review', [], 'unknown review command (none)'],
    ['review', ['start'], 'start needs --name <text>'],
    ['adopt', ['extra'], 'adopt takes no arguments (got extra)'],
    ['adopt', ['--bogus'], "Unknown option '--bogus'"],
    ['audit', [], 'unknown command (none)'],
    ['audit', ['export'], 'export needs --out <folder>'],
    ['audit', ['query', 'person', '--export', '.'], 'query person needs an employee id'],
    ['audit', ['query', 'everything', '--export', '.'], 'unknown query everything'],
    ['audit', ['verify'], 'verify needs --export <folder>'],
    ['audit', ['query', 'open-grants', '--export', '.', '--format', 'xml'], '--format must be one of table, csv, json'],
  ])('%s %j', async (command, argv, message) => {
    const cli = capture();

    const code = await COMMANDS[command]!(argv, cli.io);

    expect(code).toBe(2);
    expect(cli.err()).toContain(message);
    expect(cli.err().trimEnd().split('\n')).toHaveLength(1);
    expect(cli.out()).toBe('');
  });

  it.each(Object.keys(COMMANDS))('%s --help prints its usage and exits 0', async (command) => {
    const cli = capture();
    expect(await COMMANDS[command]!(['--help'], cli.io)).toBe(0);
    expect(cli.out()).toMatch(/^usage/);
    expect(cli.err()).toBe('');
  });

  it('names the missing local cloud in one line (token, status --local, hris send --local)', async () => {
    for (const [command, argv] of [
      ['token', ['--email', 'a@example.com']],
      ['status', ['E1', '--local']],
      ['hris', ['send', 'generic', '-', '--local']],
    ] as const) {
      const cli = capture();
      expect(await COMMANDS[command]!([...argv], cli.io)).toBe(2);
      expect(cli.err()).toBe(`gatehouse ${command === 'hris' ? 'hris send' : command}: no local cloud found: GATEHOUSE_FRONT_DOOR is not set and /nonexistent-gatehouse/endpoints.env cannot be read; start it (npm start) and source its endpoints.env\n`);
    }
  });
});

describe('audit export: where it cannot write, it ends at once with one clear line', () => {
  const dynamo = mockClient(DynamoDBClient);
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gatehouse-cli-'));
  });
  afterEach(() => dynamo.reset());
  const table = () => {
    dynamo.on(DescribeTableCommand).resolves({ Table: { TableArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/gatehouse-audit', KeySchema: [{ AttributeName: 'subject', KeyType: 'HASH' }] } });
    dynamo.on(ScanCommand).resolves({ Items: [] });
  };

  // Node 20's recursive mkdir spins forever under /proc (the hang of issue 18); the test's own timeout is the deadline.
  it.skipIf(!existsSync('/proc/self'))('--out /proc/nope exits 2 within seconds', { timeout: 10_000 }, async () => {
    table();
    const cli = capture();
    const started = Date.now();

    const code = await audit(['export', '--out', '/proc/nope'], cli.io);

    expect(code).toBe(2);
    expect(cli.err()).toContain('gatehouse audit: cannot create the folder /proc/nope (ENOENT)');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('--out naming a file exits 2 and says so', async () => {
    table();
    const file = join(dir, 'export.json');
    await writeFile(file, '{}');
    const cli = capture();

    expect(await audit(['export', '--out', file], cli.io)).toBe(2);
    expect(cli.err()).toBe(`gatehouse audit: ${file} is a file, not a folder: --out names the folder that receives the export\n`);
  });

  it('--table naming no table exits 2 and names the table', async () => {
    dynamo.on(DescribeTableCommand).rejects(new ResourceNotFoundException({ message: 'Cannot do operations on a non-existent table', $metadata: {} }));
    const cli = capture();

    expect(await audit(['export', '--out', join(dir, 'e'), '--table', 'no-such-table'], cli.io)).toBe(2);
    expect(cli.err()).toMatch(/^gatehouse audit: there is no table no-such-table here .*: pass --table <name>/);
    expect(cli.err().trimEnd().split('\n')).toHaveLength(1);
  });

  it('prints progress on stderr and the result on stdout', async () => {
    table();
    const cli = capture();

    expect(await audit(['export', '--out', join(dir, 'ok')], cli.io)).toBe(0);
    expect(cli.err()).toBe('  0 items read from gatehouse-audit\n');
    expect(cli.out()).toMatch(/^exported 0 items of gatehouse-audit to /);
  });
});

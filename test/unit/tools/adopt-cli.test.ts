import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runAdoptCli } from '../../../tools/adopt-cli.ts';
import type { AdoptionWorld } from '../../../tools/adopt-live.ts';
import type { CliIo } from '../../../tools/cli/errors.ts';

/**
 * `gatehouse adopt` refuses bad input with one line naming what is wrong and exit 2 (1 for a
 * stale fingerprint or an invalid catalogue), before it reads or changes anything: the world it
 * would connect to counts every use.
 */
const dir = mkdtempSync(join(tmpdir(), 'adopt-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (t) => void out.push(t), stderr: (t) => void err.push(t) };
  const uses = { connect: 0, read: 0, apply: 0 };
  const world: AdoptionWorld = {
    read(vendor) {
      uses.read += 1;
      return Promise.resolve({ source: vendor, roster: [{ ok: true, record: { employeeId: 'E1', email: 'e1@example.com', firstName: 'A', lastName: 'B', role: 'sales', employmentType: 'employee', startDate: '2024-01-01' } }], users: [], instances: [], managed: [] });
    },
    workflow() {
      uses.apply += 1;
      throw new Error('apply must not be reached');
    },
    close() {},
  };
  const connect = () => {
    uses.connect += 1;
    return world;
  };
  const code = runAdoptCli(argv, io, { env: {}, cwd: process.cwd(), connect });
  return code.then((exit) => ({ exit, out: out.join(''), err: err.join(''), uses }));
}

describe('gatehouse adopt: bad input', () => {
  it.each([
    [[], /needs --hris <hibob\|bamboohr\|personio>/],
    [['--hris', 'workday'], /--hris workday is not one of hibob, bamboohr, personio/],
    [['--hris', 'hibob', '--apply'], /--apply needs --confirm <fingerprint>/],
    [['--hris', 'hibob', '--apply', '--confirm', 'not-hex'], /--confirm takes the 16 hex digits/],
    [['--hris', 'hibob', '--confirm', '0123456789abcdef'], /--confirm only goes with --apply/],
    [['--hris', 'hibob', '--revoke-extras'], /--revoke-extras only goes with --apply/],
    [['--hris', 'hibob', '--names', 'many'], /--names many is not a whole number/],
    [['--hris', 'hibob', '--as', 'two words'], /--as must be 1-254 printable characters/],
    [['--hris', 'hibob', '--frobnicate'], /frobnicate/],
    [['--hris', 'hibob', 'extra'], /adopt takes no arguments/],
  ])('%j: exit 2, one line, nothing read', async (argv, message) => {
    const result = await run(argv);

    expect(result.exit).toBe(2);
    expect(result.err).toMatch(message);
    expect(result.err.trim().split('\n')).toHaveLength(1);
    expect(result.uses).toEqual({ connect: 0, read: 0, apply: 0 });
  });

  it('refuses an invalid catalogue (exit 1) naming the field, before connecting', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ version: 1, entitlements: [], roles: [{ id: 'Bad Role' }] }));
    const result = await run(['--hris', 'hibob', '--catalogue', file]);

    expect(result.exit).toBe(1);
    expect(result.err).toMatch(/--catalogue .*bad\.json is invalid: /);
    expect(result.uses.connect).toBe(0);
  });

  it('refuses to apply a plan whose fingerprint is not the one confirmed, changing nothing', async () => {
    const result = await run(['--hris', 'hibob', '--apply', '--confirm', '0123456789abcdef']);

    expect(result.exit).toBe(1);
    expect(result.err).toMatch(/refused: the plan is now [0-9a-f]{16}, not 0123456789abcdef/);
    expect(result.uses).toEqual({ connect: 1, read: 1, apply: 0 });
  });

  it('a dry run prints the counts and the fingerprint to confirm, and applies nothing', async () => {
    const result = await run(['--hris', 'hibob']);

    expect(result.exit).toBe(0);
    expect(result.out).toMatch(/^ +1 {2}people with no Identity Store user: hired through the joiner$/m);
    expect(result.out).toMatch(/--apply --confirm [0-9a-f]{16}\n$/);
    expect(result.uses.apply).toBe(0);
  });
});

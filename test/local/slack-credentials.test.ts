import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { standInCredentials } from '../../local/slack/credentials.ts';

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-slack-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the Slack stand-in credentials', () => {
  it('stay the same across restarts on one data folder, as the seeded secret does', () => {
    const first = standInCredentials(join(dir, 'state'));
    expect(first.botToken).toMatch(/^xoxb-local-[0-9a-f]{24}$/);
    expect(standInCredentials(join(dir, 'state'))).toEqual(first);
  });

  it('are fresh for each cloud without a data folder, and per folder', () => {
    expect(standInCredentials().signingSecret).not.toBe(standInCredentials().signingSecret);
    expect(standInCredentials(join(dir, 'other')).botToken).not.toBe(standInCredentials(join(dir, 'state')).botToken);
  });
});

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const credentialsSchema = z.object({ botToken: z.string().startsWith('xoxb-'), signingSecret: z.string().min(32) });
export type StandInCredentials = z.infer<typeof credentialsSchema>;

/**
 * The Slack stand-in's bot token and signing secret. The Secrets Manager emulator keeps the
 * `gatehouse/slack` secret it was first seeded with across restarts, so with a data folder the
 * stand-in must keep the same credentials too: fresh ones on a restart made every Slack call
 * from the resumed functions answer invalid_auth (found by the crash-every-state test).
 */
export function standInCredentials(stateDir?: string): StandInCredentials {
  const file = stateDir ? join(stateDir, 'slack-stand-in.json') : undefined;
  if (file && existsSync(file)) {
    const stored = credentialsSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (stored.success) return stored.data;
  }
  const fresh = { botToken: `xoxb-local-${randomBytes(12).toString('hex')}`, signingSecret: randomBytes(32).toString('hex') };
  if (stateDir && file) {
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(file, JSON.stringify(fresh), { mode: 0o600 });
  }
  return fresh;
}

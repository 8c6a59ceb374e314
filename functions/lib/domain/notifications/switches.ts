import { ConfigError } from '../shared/errors.ts';
import { NOTIFICATION_KINDS, type NotificationKind } from './kinds.ts';

/**
 * Operators switch notification kinds off with a comma-separated list (context
 * `notificationsOff`, env NOTIFICATIONS_OFF), e.g. `access-ready,leaver-done`. An unknown name
 * fails synth and cold start naming it, so a typo never silently keeps a kind on.
 * `approval-needed` cannot be switched off: approvers would never be asked.
 */
export const ALWAYS_ON: readonly NotificationKind[] = ['approval-needed'];

export function parseSwitchedOff(value: string | undefined): ReadonlySet<NotificationKind> {
  const names = (value ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
  const known = new Set<string>(NOTIFICATION_KINDS);
  const unknown = names.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new ConfigError(`notificationsOff: unknown notification kind ${unknown.map((n) => `'${n}'`).join(', ')}; known kinds: ${NOTIFICATION_KINDS.join(', ')}`);
  }
  const fixed = names.filter((name) => (ALWAYS_ON as readonly string[]).includes(name));
  if (fixed.length > 0) throw new ConfigError(`notificationsOff: '${fixed[0]}' cannot be switched off (approvers would never be asked)`);
  return new Set(names as NotificationKind[]);
}

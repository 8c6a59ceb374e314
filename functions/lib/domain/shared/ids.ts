import { z } from 'zod';

/**
 * Fields the joiner's bookkeeping Tasks carry (see statemachines/joiner.asl.json), and small
 * text helpers for audit reasons.
 */

const printable = (max: number) => z.string().regex(new RegExp(`^[\\x21-\\x7e]{1,${max}}$`), `must be 1-${max} printable characters, no spaces`);

/** `$$.Execution.Id` and `$$.Execution.Name`: the audit trail and idempotency keys hang off them. */
export const executionIds = {
  executionId: printable(256),
  executionName: printable(80),
};

export const requestIdSchema = printable(128);

/** Audit reasons are 1-500 characters without control characters. */
export function clip(text: string, max = 500): string {
  const flat = text.replace(/\p{Cc}+/gu, ' ').trim();
  return flat.length <= max ? flat || '-' : `${flat.slice(0, max - 1)}…`;
}

import type { ItemResult } from '../domain/reviews/record-decisions.ts';

/**
 * The answer to a decision POST: 200 with one result per item when any item was decided; when
 * every item was refused, the first refusal's own error (403 self-review / not yours, 409 closed
 * or already decided, 400 missing justification, 404 no such item), so a single decision reads
 * like any other refused request.
 */
export function decisionAnswer(results: readonly ItemResult[]): Record<string, unknown> {
  const refused = results.filter((result) => result.outcome === 'refused');
  if (refused.length === results.length && refused[0]) throw refused[0].error;
  return {
    decided: results.length - refused.length,
    results: results.map((result) => (result.outcome === 'decided' ? { itemId: result.itemId, outcome: 'decided', final: result.final, ...(result.remediation ? { remediation: result.remediation } : {}) } : { itemId: result.itemId, outcome: 'refused', why: result.why, message: result.message })),
  };
}

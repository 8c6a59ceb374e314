import type { z } from 'zod';

/** Formats a zod error as `field.path: message; ...` so the failing field is named. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}

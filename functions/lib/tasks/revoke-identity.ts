import { z } from 'zod';
import { leaveTaskBase } from '../domain/leaver/schemas.ts';

/**
 * functions/revoke-identity, leaver "Revoke Group Memberships" (`remove-memberships`) and "Delete
 * Identity Center User" (`delete-user`), only on the user linked to this employee. Identity Store
 * has no disabled state: deleting the user ends access, but open sessions last until the
 * permission set's session ends. Returns IdentityRevocation (domain/leaver/revoke.ts) for
 * $.results.memberships / $.results.user.
 */
export const revokeIdentityInputSchema = z.object({
  ...leaveTaskBase,
  action: z.enum(['remove-memberships', 'delete-user']),
  userName: z.string().min(1).nullable().optional(),
});
export type RevokeIdentityInput = z.infer<typeof revokeIdentityInputSchema>;

/**
 * What `functions/revoke-identity` does (its Lambda description, read by infra/spec/functions) and the ASL
 * Task states that run it (test/unit/architecture/task-contracts.test.ts checks both against the ASL).
 */
export const TASK = {
  description:
    'Leaver "Revoke Group Memberships" / "Delete Identity Center User": remove what the user holds, then the user.',
  states: ['Revoke Group Memberships', 'Delete Identity Center User'],
} as const;

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

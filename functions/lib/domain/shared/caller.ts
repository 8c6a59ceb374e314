import { ForbiddenError } from './errors.ts';

/**
 * Who is calling an authenticated route, as the domain sees it: the edge (http/caller.ts) reads it
 * from the claims the JWT authorizer vouched for.
 */
export interface Caller {
  subject: string;
  email?: string;
  groups: string[];
}

/** ForbiddenError unless the caller is in `group` (whole names, never substrings). */
export function requireGroup(caller: Caller, group: string): void {
  if (!caller.groups.includes(group)) throw new ForbiddenError(`caller is not in the ${group} group`);
}

/** ForbiddenError unless the caller has a verified e-mail; returns it. */
export function requireEmail(caller: Caller): string {
  if (!caller.email) throw new ForbiddenError('token has no verified email claim');
  return caller.email;
}

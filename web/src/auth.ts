import { UserManager, WebStorageStateStore, type User } from 'oidc-client-ts';
import type { ConsoleConfig } from './config.ts';

/**
 * Sign-in with OpenID Connect, Authorization Code with PKCE (RFC 7636), by oidc-client-ts:
 * it makes the verifier and challenge, keeps the state, exchanges the code and checks the
 * ID token's claims. Tokens live in sessionStorage (gone when the tab closes); no refresh
 * token is asked for, so an expired session means signing in again.
 */
export interface Session {
  accessToken: string;
  email: string;
  name: string;
  groups: string[];
  expiresAt: Date;
}

export const CALLBACK_PATH = '/callback';

export interface Auth {
  /** The signed-in person, or undefined when nobody is (or the token expired). */
  current(): Promise<Session | undefined>;
  /** Sends the browser to the issuer's sign-in page; `returnTo` is where to land afterwards. */
  signIn(returnTo: string): Promise<void>;
  /** Finishes a sign-in on the callback page; answers where to go next. */
  completeSignIn(): Promise<string>;
  signOut(): Promise<void>;
}

function groupsOf(user: User): string[] {
  const raw = user.profile.groups;
  return Array.isArray(raw) ? raw.filter((g): g is string => typeof g === 'string') : [];
}

function toSession(user: User | null): Session | undefined {
  if (!user || user.expired || !user.access_token) return undefined;
  const email = typeof user.profile.email === 'string' ? user.profile.email : user.profile.sub;
  return {
    accessToken: user.access_token,
    email,
    name: typeof user.profile.name === 'string' ? user.profile.name : email,
    groups: groupsOf(user),
    expiresAt: new Date((user.expires_at ?? 0) * 1000),
  };
}

export function createAuth(config: ConsoleConfig): Auth {
  const manager = new UserManager({
    authority: config.issuer,
    client_id: config.clientId,
    redirect_uri: `${window.location.origin}${CALLBACK_PATH}`,
    post_logout_redirect_uri: `${window.location.origin}/`,
    response_type: 'code',
    scope: config.scope,
    loadUserInfo: false,
    automaticSilentRenew: false,
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
  });
  let completing: Promise<User> | undefined;
  return {
    current: async () => toSession(await manager.getUser()),
    signIn: (returnTo) => manager.signinRedirect({ state: { returnTo } }),
    async completeSignIn() {
      // A code works once: a second call (React's development double effects) shares the first exchange.
      completing ??= manager.signinRedirectCallback();
      const user = await completing;
      const state = user.state as { returnTo?: unknown } | undefined;
      return typeof state?.returnTo === 'string' && state.returnTo.startsWith('/') ? state.returnTo : '/';
    },
    async signOut() {
      await manager.removeUser();
    },
  };
}

/**
 * What the console needs to know about where it runs, served next to the app as `/config.json`
 * (written by the stack on AWS, answered by the front door locally), so one build runs anywhere.
 */
export interface ConsoleConfig {
  /** The OpenID Connect issuer (discovery at `<issuer>/.well-known/openid-configuration`). */
  issuer: string;
  /** The console's OAuth client id at that issuer (a public client: PKCE, no secret). */
  clientId: string;
  /** Scopes to ask for; the access token must carry the API's audience. */
  scope: string;
  /** Where the API is; '' means the console's own origin. */
  apiUrl: string;
  /** Members of this group see the People and Workflows pages. */
  operatorGroup: string;
  /** Members of this group see the Audit page. */
  auditorGroup: string;
}

/** Reads and checks `/config.json`; an Error naming the field that is wrong. */
export async function loadConfig(): Promise<ConsoleConfig> {
  const res = await fetch('/config.json', { cache: 'no-store' });
  if (!res.ok) throw new Error(`/config.json answered HTTP ${res.status}; the console cannot find its sign-in settings`);
  const raw = (await res.json()) as Record<string, unknown>;
  const text = (name: keyof ConsoleConfig, fallback?: string): string => {
    const value = raw[name] ?? fallback;
    if (typeof value !== 'string') throw new Error(`/config.json: ${name} must be a string`);
    return value;
  };
  return {
    issuer: text('issuer'),
    clientId: text('clientId'),
    scope: text('scope', 'openid email profile'),
    apiUrl: text('apiUrl', ''),
    operatorGroup: text('operatorGroup', 'gatehouse-operators'),
    auditorGroup: text('auditorGroup', 'gatehouse-auditors'),
  };
}

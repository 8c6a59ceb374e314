/**
 * The console (web/) as the stack and the local cloud both serve it: its OAuth client, the
 * security headers of every response, the SPA's own paths. Plain data, like wiring.ts, so
 * CloudFront's response headers policy and the local front door cannot drift apart.
 */

/** The console's client id at the local issuer (context `consoleClientId` on AWS). */
export const CONSOLE_CLIENT_ID = 'gatehouse-console';
/** Where the identity provider sends the browser back with the code. */
export const CONSOLE_CALLBACK_PATH = '/callback';
export const AUDITOR_GROUP_DEFAULT = 'gatehouse-auditors';

/**
 * The Content-Security-Policy of the console's documents. The app has no inline script or style
 * (web/vite.config.ts), so `'self'` is all it needs; `connect-src` adds the identity provider's
 * origin for discovery and the token exchange, and the API's when it is on another origin.
 * https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Content-Security-Policy
 */
export function consoleCsp(connectOrigins: readonly string[]): string {
  const connect = ["'self'", ...new Set(connectOrigins)].join(' ');
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${connect}`,
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    'upgrade-insecure-requests',
  ].join('; ');
}

/**
 * Headers on every console response besides the CSP (CloudFront's managed SecurityHeadersPolicy
 * sets the same family: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-response-headers-policies.html).
 */
export const CONSOLE_HEADERS = {
  'strict-transport-security': 'max-age=63072000; includeSubDomains; preload',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  'cross-origin-opener-policy': 'same-origin',
} as const;

/** What the console reads from `/config.json` (web/src/config.ts). */
export interface ConsoleRuntimeConfig {
  issuer: string;
  clientId: string;
  scope: string;
  apiUrl: string;
  operatorGroup: string;
  auditorGroup: string;
}

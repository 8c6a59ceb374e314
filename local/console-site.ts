import { existsSync, readFileSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { CONSOLE_HEADERS, consoleCsp, type ConsoleRuntimeConfig } from '../infra/spec/console.ts';
import type { HttpRequest, HttpResponse } from './core/http.ts';

/**
 * The built console (web/dist) on the local front door, as CloudFront serves it on AWS: the
 * hashed files under /assets/ cached for a year, every other page a browser navigates to answered
 * with index.html (the app routes itself; CloudFront does the same with its 403/404 → /index.html
 * error responses),
 * `/config.json` from the running cloud, and the same security headers on every answer.
 */

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export interface ConsoleSiteOptions {
  distDir: string;
  config: ConsoleRuntimeConfig;
}

export function consoleSite(options: ConsoleSiteOptions): (req: HttpRequest) => HttpResponse | undefined {
  const root = normalize(options.distDir);
  const headers = { ...CONSOLE_HEADERS, 'content-security-policy': consoleCsp([new URL(options.config.issuer).origin]) };
  const file = (path: string, cache: string): HttpResponse | undefined => {
    const full = normalize(join(root, path));
    if (!full.startsWith(root + sep) || !existsSync(full)) return undefined;
    return { status: 200, headers: { ...headers, 'content-type': TYPES[extname(full)] ?? 'application/octet-stream', 'cache-control': cache }, body: readFileSync(full) };
  };
  return (req) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
    if (req.path === '/config.json') {
      return { status: 200, headers: { ...headers, 'content-type': 'application/json', 'cache-control': 'no-store' }, body: JSON.stringify(options.config) };
    }
    if (req.path.startsWith('/assets/')) {
      return file(req.path, 'public, max-age=31536000, immutable') ?? { status: 404, headers: { ...headers, 'content-type': 'text/plain' }, body: 'Not Found' };
    }
    // Only a browser's navigation gets the app: API clients (JSON, curl's */*) keep API Gateway's 404 for unknown routes.
    if (!(req.headers.accept ?? '').includes('text/html')) return undefined;
    const index = file('index.html', 'no-cache');
    if (index) return index;
    return {
      status: 503,
      headers: { ...headers, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
      body: 'The console is not built. Run `npm run build:web` (npm start builds it for you).\n',
    };
  };
}

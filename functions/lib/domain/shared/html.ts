import { createHash } from 'node:crypto';

/**
 * HTML building blocks for the approval page and e-mail. Every value that came from outside
 * (names, roles, reasons, comments) goes through `escapeHtml`; nothing is ever inserted raw.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

export const escapeHtml = (value: unknown): string => String(value).replace(/[&<>"'`]/g, (char) => ESCAPES[char] ?? char);

/** A tagged template that escapes every interpolated value, except nested `Html` (already safe). */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type HtmlValue = Html | string | number | readonly Html[] | undefined | null | false;

function piece(value: HtmlValue): string {
  if (value === undefined || value === null || value === false) return '';
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return (value as readonly Html[]).map((item) => item.value).join('');
  return escapeHtml(value);
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  return new Html(strings.reduce((out, text, index) => out + text + (index < values.length ? piece(values[index]) : ''), ''));
}

/** The page's only style sheet: inline, allowed by its hash in the CSP (no external assets at all). */
export const PAGE_STYLE = `
:root{color-scheme:light;--ink:#1f2933;--muted:#52606d;--line:#d9e2ec;--bg:#f5f7fa;--ok:#1f7a45;--no:#b3261e;--warn:#8a5a00}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:44rem;margin:2rem auto;padding:0 1rem}
.card{background:#fff;border:1px solid var(--line);border-radius:10px;padding:1.5rem 1.75rem;box-shadow:0 1px 2px rgba(0,0,0,.04)}
h1{font-size:1.45rem;margin:0 0 .25rem}
.lead{color:var(--muted);margin:0 0 1.25rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.45rem 1.25rem;margin:0 0 1.25rem}
dt{color:var(--muted);font-weight:600}
dd{margin:0;overflow-wrap:anywhere}
table{width:100%;border-collapse:collapse;margin:0 0 1.25rem}
th,td{text-align:left;padding:.45rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
th{color:var(--muted);font-size:.85rem;text-transform:uppercase;letter-spacing:.03em}
code{font:.9em ui-monospace,SFMono-Regular,Menlo,monospace;overflow-wrap:anywhere}
.risk{display:inline-block;border-radius:999px;padding:0 .55rem;font-size:.8rem;font-weight:700}
.risk-high{background:#fde8e7;color:var(--no)}
.risk-low{background:#e3f5ea;color:var(--ok)}
.why{background:#fff8e6;border-left:4px solid #f0b429;padding:.6rem .9rem;margin:0 0 1.25rem}
.notice{border-left:4px solid var(--muted);background:#f0f4f8;padding:.75rem 1rem;margin:0 0 1.25rem}
.notice.ok{border-color:var(--ok);background:#e9f7ef}
.notice.no{border-color:var(--no);background:#fdecea}
.notice.warn{border-color:#f0b429;background:#fff8e6}
label{display:block;font-weight:600;margin:0 0 .35rem}
textarea{width:100%;min-height:5rem;padding:.5rem;border:1px solid #9aa5b1;border-radius:6px;font:inherit}
.actions{display:flex;gap:.75rem;margin-top:1rem;flex-wrap:wrap}
button{font:inherit;font-weight:700;border-radius:6px;padding:.6rem 1.4rem;cursor:pointer;border:2px solid transparent}
.approve{background:var(--ok);color:#fff}
.deny{background:#fff;color:var(--no);border-color:var(--no)}
button:focus-visible{outline:3px solid #2680c2;outline-offset:2px}
footer{color:var(--muted);font-size:.85rem;margin-top:1rem}
h2{font-size:1.05rem;margin:1.25rem 0 .5rem}
.muted{color:var(--muted);font-size:.9em}
.steps{margin:0 0 1.25rem;padding-left:1.25rem}
.steps li{margin:0 0 .5rem;overflow-wrap:anywhere}
td{overflow-wrap:break-word}
td code{overflow-wrap:break-word}
.risk{white-space:nowrap}
@media (max-width:480px){
main{margin:1rem auto;padding:0 .5rem}
.card{padding:1rem}
dl{grid-template-columns:1fr;gap:.1rem}
dd{margin:0 0 .6rem}
th,td{padding:.4rem .3rem;font-size:.92rem}
}
`;

const STYLE_HASH = createHash('sha256').update(PAGE_STYLE, 'utf8').digest('base64');

/** Nothing loads from anywhere; the form may only post back to this origin; no framing. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src 'sha256-${STYLE_HASH}'`,
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'cross-origin-opener-policy': 'same-origin',
  'cache-control': 'no-store',
  'x-robots-tag': 'noindex, nofollow',
};

export function layout(title: string, body: Html): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} · Gatehouse</title>
<style>${new Html(PAGE_STYLE)}</style>
</head>
<body><main>${body}<footer>Gatehouse access approvals</footer></main></body>
</html>
`.value;
}

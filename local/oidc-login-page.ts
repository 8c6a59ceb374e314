/** The local issuer's login page: no passwords, pick who you are (local cloud only). */
export interface DemoPerson {
  email: string;
  name: string;
  groups: string[];
  /** What this person is for in the demo ("operator", "approver", "employee, engineer"). */
  note: string;
}

export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const STYLE = `body{font-family:system-ui,sans-serif;margin:0;background:#f6f8fa;color:#1b1f24}main{max-width:40rem;margin:2rem auto;padding:1rem}
ul{list-style:none;padding:0}li{margin:.5rem 0}button{font:inherit;width:100%;text-align:left;padding:.6rem .9rem;border:1px solid #d0d7de;border-radius:8px;background:#fff;cursor:pointer}
button:focus-visible,input:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}small{color:#57606a;display:block}fieldset{border:1px solid #d0d7de;border-radius:8px;margin-top:1.5rem}
label{display:block;margin:.5rem 0}input{font:inherit;padding:.4rem;width:100%;box-sizing:border-box}.go{background:#0b5cad;color:#fff;text-align:center}`;

function hidden(params: Record<string, string>): string {
  return Object.entries(params)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
}

export function loginPage(people: DemoPerson[], params: Record<string, string>): string {
  const choices = people
    .map(
      (p) =>
        `<li><form method="post"><input type="hidden" name="email" value="${escapeHtml(p.email)}">${hidden(params)}<button type="submit">${escapeHtml(p.name)} <small>${escapeHtml(p.email)} · ${escapeHtml(p.note)}${p.groups.length ? ` · groups: ${escapeHtml(p.groups.join(', '))}` : ''}</small></button></form></li>`,
    )
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Sign in to Gatehouse (local)</title><style>${STYLE}</style></head>
<body><main><h1>Sign in (local cloud)</h1><p>This is the local stand-in for your identity provider. Pick who you want to be:</p>
<ul>${choices}</ul>
<form method="post"><fieldset><legend>Someone else</legend><input type="hidden" name="custom" value="1">${hidden(params)}
<label>E-mail <input name="email" type="email" required autocomplete="off"></label>
<label>Groups (comma-separated) <input name="groups" autocomplete="off"></label>
<button type="submit" class="go">Sign in</button></fieldset></form></main></body></html>`;
}

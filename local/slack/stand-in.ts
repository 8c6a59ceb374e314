import { randomBytes } from 'node:crypto';
import { escapeHtml } from '../../functions/lib/domain/shared/html.ts';
import { slackSignature } from '../../functions/lib/domain/slack/signature.ts';
import { APPROVE_ACTION, DENY_ACTION, REASON_ACTION, REASON_BLOCK } from '../../functions/lib/domain/slack/approval-message.ts';
import type { HttpRequest, HttpResponse } from '../core/http.ts';
import { refuseUnlessLocal } from '../core/loopback.ts';

/**
 * A Slack stand-in for the local cloud, served by the front door under /_local/slack/:
 *   POST /_local/slack/api/<method>   the Web API methods Gatehouse calls, as Slack answers them
 *                                     (HTTP 200 with `ok: false` and Slack's error names: invalid_auth,
 *                                     users_not_found, user_not_found, channel_not_found, message_not_found)
 *   GET  /_local/slack/               a page listing every message, with its buttons (a person clicks there)
 *   GET  /_local/slack/messages       the messages as JSON (tests)
 *   POST /_local/slack/click          {"ts", "action": "approve"|"deny", "as"?: e-mail, "reason"?}: posts the
 *                                     block_actions payload Slack would post to /slack/interactions, signed
 *                                     as Slack signs (v0 HMAC-SHA256 of v0:timestamp:body)
 *   POST /_local/slack/users          {"email"}: adds a workspace member
 * The Gatehouse functions reach it only through @slack/web-api with `slackApiUrl` (SLACK_API_URL).
 */

export interface StandInMessage {
  channel: string;
  ts: string;
  text: string;
  blocks?: unknown[];
  /** Every version the message had, oldest first (chat.update appends). */
  history: { text: string; blocks?: unknown[] }[];
  ephemeralFor?: string;
}

export interface SlackStandInOptions {
  botToken: string;
  signingSecret: string;
  /** The front door, where /slack/interactions is. */
  frontDoorUrl: string;
  /** Workspace members' e-mails. */
  members: readonly string[];
}

const json = (status: number, body: unknown): HttpResponse => ({ status, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }, body: JSON.stringify(body) });
const ok = (body: Record<string, unknown> = {}) => json(200, { ok: true, ...body });
const fail = (error: string) => json(200, { ok: false, error });

export class SlackStandIn {
  readonly messages: StandInMessage[] = [];
  private readonly users = new Map<string, string>();
  private clock = 1_700_000_000;

  constructor(readonly options: SlackStandInOptions) {
    for (const email of options.members) this.addUser(email);
  }

  addUser(email: string): string {
    const key = email.toLowerCase();
    const existing = [...this.users].find(([, e]) => e === key)?.[0];
    if (existing) return existing;
    const id = `U${randomBytes(5).toString('hex').toUpperCase()}`;
    this.users.set(id, key);
    return id;
  }

  userIdOf(email: string): string | undefined {
    return [...this.users].find(([, e]) => e === email.toLowerCase())?.[0];
  }

  private nextTs(): string {
    this.clock += 1;
    return `${this.clock}.${String(this.messages.length).padStart(6, '0')}`;
  }

  /** The Web API: form or JSON arguments, bearer token, Slack's error names. */
  api(method: string, req: HttpRequest): HttpResponse {
    if (req.method !== 'POST') return json(405, { ok: false, error: 'method_not_allowed' });
    if (req.headers.authorization !== `Bearer ${this.options.botToken}`) return fail('invalid_auth');
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim();
    const raw = req.body.toString('utf8');
    const args: Record<string, unknown> = type === 'application/json' ? (JSON.parse(raw || '{}') as Record<string, unknown>) : Object.fromEntries(new URLSearchParams(raw));
    const blocks = typeof args.blocks === 'string' ? (JSON.parse(args.blocks) as unknown[]) : (args.blocks as unknown[] | undefined);
    const arg = (name: string): string => (typeof args[name] === 'string' ? args[name] : '');
    const text = arg('text');
    switch (method) {
      case 'users.lookupByEmail': {
        const id = this.userIdOf(arg('email'));
        return id ? ok({ user: { id, deleted: false, profile: { email: this.users.get(id) } } }) : fail('users_not_found');
      }
      case 'users.info': {
        const email = this.users.get(arg('user'));
        return email ? ok({ user: { id: args.user, deleted: false, profile: { email } } }) : fail('user_not_found');
      }
      case 'chat.postMessage': {
        const target = arg('channel');
        if (!/^[UCGD][A-Z0-9]+$/.test(target)) return fail('channel_not_found');
        // A user id as channel posts in the app's DM with that user (Slack answers with the D... channel).
        const channel = target.startsWith('U') ? (this.users.has(target) ? `D${target.slice(1)}` : undefined) : target;
        if (!channel) return fail('channel_not_found');
        const message: StandInMessage = { channel, ts: this.nextTs(), text, ...(blocks ? { blocks } : {}), history: [{ text, ...(blocks ? { blocks } : {}) }] };
        this.messages.push(message);
        return ok({ channel, ts: message.ts, message: { text, ...(blocks ? { blocks } : {}) } });
      }
      case 'chat.update': {
        const message = this.messages.find((m) => m.channel === args.channel && m.ts === args.ts && !m.ephemeralFor);
        if (!message) return fail('message_not_found');
        message.text = text;
        if (blocks) message.blocks = blocks;
        message.history.push({ text, ...(blocks ? { blocks } : {}) });
        return ok({ channel: message.channel, ts: message.ts, text });
      }
      case 'chat.postEphemeral': {
        const user = arg('user');
        if (!this.users.has(user)) return fail('user_not_found');
        const message: StandInMessage = { channel: arg('channel'), ts: this.nextTs(), text, history: [{ text }], ephemeralFor: user };
        this.messages.push(message);
        return ok({ message_ts: message.ts });
      }
      default:
        return fail('unknown_method');
    }
  }

  /** The body and headers Slack would send for a button click on message `ts`, signed at `now`. */
  signedClick(input: { ts: string; action: 'approve' | 'deny'; as?: string; reason?: string; now?: Date }): { body: string; headers: Record<string, string> } {
    const message = this.messages.find((m) => m.ts === input.ts && !m.ephemeralFor);
    if (!message) throw new Error(`no message ${input.ts}`);
    const actionId = input.action === 'approve' ? APPROVE_ACTION : DENY_ACTION;
    type Element = { action_id?: string; value?: string };
    const elements = (message.blocks ?? []).flatMap((block) => ((block as { type?: string }).type === 'actions' ? ((block as { elements?: Element[] }).elements ?? []) : []));
    const button = elements.find((element) => element.action_id === actionId);
    if (!button?.value) throw new Error(`message ${input.ts} has no ${input.action} button (already decided?)`);
    const clicker = input.as ? this.addUser(input.as) : `U${message.channel.slice(1)}`;
    const payload = {
      type: 'block_actions',
      user: { id: clicker, team_id: 'T0LOCAL' },
      team: { id: 'T0LOCAL', domain: 'gatehouse-local' },
      api_app_id: 'A0GATEHOUSE',
      container: { type: 'message', message_ts: message.ts, channel_id: message.channel, is_ephemeral: false },
      channel: { id: message.channel },
      message: { ts: message.ts, text: message.text, blocks: message.blocks },
      state: { values: { [REASON_BLOCK]: { [REASON_ACTION]: { type: 'plain_text_input', value: input.reason ?? null } } } },
      actions: [{ type: 'button', action_id: actionId, block_id: 'actions', value: button.value, action_ts: `${Date.now() / 1000}` }],
    };
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    const timestamp = String(Math.floor((input.now ?? new Date()).getTime() / 1000));
    return { body, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': timestamp, 'x-slack-signature': slackSignature(this.options.signingSecret, timestamp, body) } };
  }

  /** Clicks as Slack would: POSTs the signed payload to the interactions route. */
  async click(input: Parameters<SlackStandIn['signedClick']>[0]): Promise<{ status: number; body: string }> {
    const signed = this.signedClick(input);
    const response = await fetch(`${this.options.frontDoorUrl}/slack/interactions`, { method: 'POST', headers: signed.headers, body: signed.body, signal: AbortSignal.timeout(15_000) });
    return { status: response.status, body: await response.text() };
  }

  async handle(req: HttpRequest): Promise<HttpResponse> {
    const sub = req.path.slice('/_local/slack'.length);
    if (sub.startsWith('/api/')) return this.api(sub.slice('/api/'.length), req);
    const refused = refuseUnlessLocal(req);
    if (refused) return refused;
    if (sub === '/messages' && req.method === 'GET') return json(200, { messages: this.messages });
    if (sub === '/users' && req.method === 'POST') {
      const email = (JSON.parse(req.body.toString('utf8') || '{}') as { email?: unknown }).email;
      if (typeof email !== 'string' || !email.includes('@')) return json(400, { message: 'body: {"email": "<member e-mail>"}' });
      return json(201, { id: this.addUser(email) });
    }
    if (sub === '/click' && req.method === 'POST') {
      const input = JSON.parse(req.body.toString('utf8') || '{}') as { ts?: unknown; action?: unknown; as?: unknown; reason?: unknown };
      if (typeof input.ts !== 'string' || (input.action !== 'approve' && input.action !== 'deny')) return json(400, { message: 'body: {"ts": "<message ts>", "action": "approve"|"deny", "as"?: "<e-mail>", "reason"?: "..."}' });
      try {
        return json(200, await this.click({ ts: input.ts, action: input.action, ...(typeof input.as === 'string' ? { as: input.as } : {}), ...(typeof input.reason === 'string' ? { reason: input.reason } : {}) }));
      } catch (error) {
        return json(404, { message: (error as Error).message });
      }
    }
    if ((sub === '/' || sub === '') && req.method === 'GET') return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }, body: this.page() };
    return json(404, { message: 'Not Found' });
  }

  private page(): string {
    const rows = this.messages
      .map((m) => {
        const who = m.ephemeralFor ? `only ${this.users.get(m.ephemeralFor) ?? m.ephemeralFor}` : m.channel.startsWith('D') ? `DM ${this.users.get(`U${m.channel.slice(1)}`) ?? m.channel}` : m.channel;
        const buttons = JSON.stringify(m.blocks ?? []).includes(APPROVE_ACTION)
          ? `<p><input placeholder="comment (required to deny)" id="r${escapeHtml(m.ts)}"> <button data-ts="${escapeHtml(m.ts)}" data-action="approve">Approve</button> <button data-ts="${escapeHtml(m.ts)}" data-action="deny">Deny</button></p>`
          : '';
        return `<li><strong>${escapeHtml(who)}</strong> <code>${escapeHtml(m.ts)}</code><pre>${escapeHtml(m.text)}</pre>${buttons}</li>`;
      })
      .join('');
    return `<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Slack stand-in · Gatehouse</title>
<body style="font-family:system-ui;max-width:44rem;margin:1rem auto;padding:0 1rem"><h1>Slack stand-in</h1><p>Messages Gatehouse posted; a click is signed as Slack signs and sent to /slack/interactions.</p><ul>${rows}</ul>
<script>document.addEventListener('click',async(e)=>{const b=e.target.closest('button[data-ts]');if(!b)return;const ts=b.dataset.ts;const reason=document.getElementById('r'+ts).value;const r=await fetch('/_local/slack/click',{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify({ts,action:b.dataset.action,reason})});alert((await r.json()).status===200?'sent':'refused');location.reload();});</script></body>`;
  }
}

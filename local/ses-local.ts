import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

export interface RunningSesLocal {
  /** The SES v2 endpoint (`AWS_ENDPOINT_URL_SESV2`). */
  endpoint: string;
  /** The web inbox where a person can read the mails and click links. */
  inboxUrl: string;
  stop(): Promise<void>;
}

type SesServerFactory = (config?: Partial<{ host: string; port: number }>) => Promise<Server>;

// The package is CommonJS with `exports.default`; require() gives the same shape under tsx, node and vitest.
const { default: sesServer } = createRequire(import.meta.url)('aws-ses-v2-local') as { default: SesServerFactory };

/**
 * Runs aws-ses-v2-local in this process, on loopback only (`port` 0 picks a free port).
 * Its mail store is module-global: every instance in one process shares it. It forwards mails
 * to SMTP only if the SMTP_TRANSPORT variable is set; the local cloud never sets it.
 */
export async function startSesLocal(options: { port: number }): Promise<RunningSesLocal> {
  const server = await sesServer({ host: '127.0.0.1', port: options.port });
  // Express 5 hands a listen error to the callback, which the package treats as success.
  if (!server.listening) {
    throw new Error(`aws-ses-v2-local could not listen on 127.0.0.1:${options.port} (port in use?)`);
  }
  server.keepAliveTimeout = 5_000;
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    inboxUrl: `${endpoint}/`,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** One mail as aws-ses-v2-local stores it (`GET /store`). Raw mails may carry more attachment fields. */
export const sentMailSchema = z.object({
  messageId: z.string(),
  from: z.string(),
  replyTo: z.array(z.string()),
  destination: z.object({ to: z.array(z.string()), cc: z.array(z.string()), bcc: z.array(z.string()) }),
  subject: z.string(),
  body: z.object({ html: z.string().optional(), text: z.string().optional() }),
  attachments: z.array(
    z.object({ content: z.string(), contentType: z.string(), filename: z.string().optional(), size: z.number() }),
  ),
  headers: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
  /** Epoch seconds. */
  at: z.number(),
});
export type SentMail = z.infer<typeof sentMailSchema>;

const storeSchema = z.object({ emails: z.array(sentMailSchema) });

/** Mails the SES stand-in has accepted, oldest first; `sinceEpochSeconds` keeps those sent at or after it. */
export async function fetchSentMails(endpoint: string, sinceEpochSeconds?: number): Promise<SentMail[]> {
  const url = new URL('/store', endpoint);
  if (sinceEpochSeconds !== undefined) url.searchParams.set('since', String(Math.floor(sinceEpochSeconds)));
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`GET ${url.href} answered ${response.status}: ${await response.text()}`);
  return storeSchema.parse(await response.json()).emails;
}

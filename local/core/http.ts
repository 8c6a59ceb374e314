import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as every emulator sees it: body fully read, headers lower-cased. */
export interface HttpRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: Buffer;
}

export interface HttpResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export type RequestHandler = (req: HttpRequest) => Promise<HttpResponse>;

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Requests above this size are refused with 413 before any handler sees them. */
export const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_REQUEST_BYTES) return undefined;
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[key.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  return out;
}

function send(res: ServerResponse, reply: HttpResponse): void {
  res.writeHead(reply.status, reply.headers ?? {});
  res.end(reply.body ?? '');
}

/**
 * Serves `handler` on loopback only. `port: 0` picks a free port (tests run many
 * clouds side by side). A handler that throws answers an opaque 500.
 */
export async function startHttpServer(port: number, handler: RequestHandler): Promise<RunningServer> {
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      if (body === undefined) {
        send(res, { status: 413, body: 'Request body too large' });
        return;
      }
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const request: HttpRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: flatHeaders(req),
        body,
      };
      send(res, await handler(request));
    })().catch((error: unknown) => {
      console.error('[local-cloud] unhandled error in emulator', error);
      if (!res.headersSent) send(res, { status: 500, body: 'Internal error' });
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

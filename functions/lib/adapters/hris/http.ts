import { ConfigError, DomainError, TransientError } from '#lib/domain/shared/errors';

/**
 * The one HTTP path to an HRIS vendor's REST API: a per-attempt timeout, retries with
 * full-jitter exponential backoff on 429, 5xx and dropped connections (a `Retry-After`
 * header, seconds or HTTP date, wins over the backoff), and a cap on concurrent calls
 * per vendor. Errors name the vendor and the call template (`POST /v1/people/{id}`),
 * never an employee id, a query or a body: HR data stays out of logs.
 */
export type HrisVendor = 'hibob' | 'bamboohr' | 'personio';

/** The vendor refused our credentials (401/403). A retry cannot fix it; the operator must. */
export class HrisCredentialsError extends ConfigError {}

/** The vendor stayed unavailable (429/5xx/timeouts) through every attempt; the webhook sender retries later. */
export class HrisUnavailableError extends TransientError {}

/** The vendor answered something we cannot use (an unexpected 4xx, or a body that is not the documented shape). */
export class HrisResponseError extends DomainError {
  readonly statusCode = 502;
  constructor(
    message: string,
    options?: ErrorOptions & { status?: number },
  ) {
    super(message, options);
    this.status = options?.status;
  }
  /** The vendor's HTTP status, when it answered one. */
  readonly status: number | undefined;
}

export interface VendorHttpOptions {
  vendor: HrisVendor;
  baseUrl: string;
  /** Per attempt (default 5000 ms). */
  timeoutMs?: number;
  /** Attempts in all, including the first (default 4). */
  maxAttempts?: number;
  /** Concurrent requests in flight to this vendor (default 4). */
  concurrency?: number;
  /** First backoff step (default 200 ms); attempt n waits up to base * 2^n. */
  baseDelayMs?: number;
  /** Longest wait between attempts (default 20 s); a Retry-After beyond it fails the call at once rather than retrying early. */
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  fetch?: typeof fetch;
}

export interface VendorRequest {
  /** The call as logged: method and path template, no ids (`GET /v1/employees/{id}`). */
  call: string;
  method: 'GET' | 'POST';
  /** Path with ids filled in, relative to the base URL. */
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
}

export interface VendorResponse {
  status: number;
  headers: Headers;
  text: string;
}

const RETRYABLE_STATUS = (status: number): boolean => status === 429 || (status >= 500 && status !== 501);

/** Seconds or an HTTP date (RFC 9110 section 10.2.3), as milliseconds from `now`; undefined if absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** A counting semaphore: at most `limit` holders at once, FIFO. */
class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active += 1;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active -= 1;
    }
  }
}

export class VendorHttp {
  readonly vendor: HrisVendor;
  private readonly options: Required<Omit<VendorHttpOptions, 'vendor' | 'baseUrl'>>;
  private readonly baseUrl: URL;
  private readonly gate: Semaphore;

  constructor(options: VendorHttpOptions) {
    this.vendor = options.vendor;
    let base: URL;
    try {
      base = new URL(options.baseUrl);
    } catch (cause) {
      throw new ConfigError(`${options.vendor} API base URL is not a URL`, { cause });
    }
    this.baseUrl = base;
    this.options = {
      timeoutMs: options.timeoutMs ?? 5000,
      maxAttempts: options.maxAttempts ?? 4,
      concurrency: options.concurrency ?? 4,
      baseDelayMs: options.baseDelayMs ?? 200,
      maxDelayMs: options.maxDelayMs ?? 20_000,
      sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
      random: options.random ?? Math.random,
      fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    };
    this.gate = new Semaphore(Math.max(1, this.options.concurrency));
  }

  private url(request: VendorRequest): URL {
    const url = new URL(request.path.replace(/^\/+/, ''), this.baseUrl.href.endsWith('/') ? this.baseUrl : new URL(`${this.baseUrl.href}/`));
    for (const [key, value] of Object.entries(request.query ?? {})) url.searchParams.set(key, value);
    return url;
  }

  private backoff(attempt: number): number {
    const ceiling = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** attempt);
    return Math.floor(this.options.random() * ceiling);
  }

  private async attempt(request: VendorRequest): Promise<VendorResponse | { failure: string }> {
    try {
      const response = await this.options.fetch(this.url(request), {
        method: request.method,
        headers: { accept: 'application/json', ...request.headers },
        ...(request.body !== undefined ? { body: request.body } : {}),
        signal: AbortSignal.timeout(this.options.timeoutMs),
        redirect: 'error',
      });
      return { status: response.status, headers: response.headers, text: await response.text() };
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      return { failure: name === 'TimeoutError' || name === 'AbortError' ? `timed out after ${this.options.timeoutMs} ms` : 'connection failed' };
    }
  }

  /**
   * Sends the request, retrying what a retry can fix. Returns any response below 400 and
   * 404 (the caller decides what "not found" means); throws a typed error otherwise.
   */
  async send(request: VendorRequest): Promise<VendorResponse> {
    const label = `${this.vendor} ${request.call}`;
    let last = '';
    for (let attempt = 0; attempt < this.options.maxAttempts; attempt += 1) {
      const outcome = await this.gate.run(() => this.attempt(request));
      if (!('failure' in outcome)) {
        const { status } = outcome;
        if (status < 400 || status === 404) return outcome;
        if (status === 401 || status === 403) throw new HrisCredentialsError(`${label} rejected the credentials (${status})`);
        if (!RETRYABLE_STATUS(status)) throw new HrisResponseError(`${label} answered ${status}`, { status });
        last = `answered ${status}`;
        if (attempt + 1 < this.options.maxAttempts) {
          const hinted = retryAfterMs(outcome.headers.get('retry-after'));
          // Never sooner than the vendor asked: a wait past our budget ends this call, and our caller's caller retries later.
          if (hinted !== undefined && hinted > this.options.maxDelayMs) {
            throw new HrisUnavailableError(`${label} answered ${status} and asked to retry after ${Math.ceil(hinted / 1000)} s`);
          }
          await this.options.sleep(hinted ?? this.backoff(attempt));
        }
        continue;
      }
      last = outcome.failure;
      if (attempt + 1 < this.options.maxAttempts) await this.options.sleep(this.backoff(attempt));
    }
    throw new HrisUnavailableError(`${label} ${last} (${this.options.maxAttempts} attempts)`);
  }

  /** {@link send}, then the body as JSON (`undefined` for a 404). */
  async json(request: VendorRequest): Promise<unknown> {
    const response = await this.send(request);
    if (response.status === 404) return undefined;
    try {
      return JSON.parse(response.text) as unknown;
    } catch (cause) {
      throw new HrisResponseError(`${this.vendor} ${request.call} answered a body that is not JSON`, { cause });
    }
  }
}

/** `Authorization: Basic base64(user:password)` (RFC 7617). */
export const basicAuth = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;

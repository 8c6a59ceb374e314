/**
 * The console's calls to the Gatehouse API. Every call carries the signed-in person's access
 * token; the API's JWT authorizer checks it and the functions decide what this person may see.
 * Errors come back in the routes' one shape `{ error, message }`.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface Api {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown, headers?: Record<string, string>): Promise<T>;
  /** The raw text of a download (e.g. CSV), with the same authorization. */
  text(path: string): Promise<string>;
}

/** What a person should do about an error, in words. */
export function adviceFor(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 401) return 'Your sign-in has expired. Sign in again.';
    if (error.status === 403) return `You are not allowed to do this (${error.message}). Ask an operator if you think you should be.`;
    if (error.status === 404) return `Not found: ${error.message}.`;
    if (error.status >= 500) return 'Gatehouse could not answer just now. Try again in a minute; if it keeps failing, tell the operators.';
    return error.message;
  }
  if (error instanceof TypeError) return 'Gatehouse cannot be reached. Check your connection and try again.';
  return error instanceof Error ? error.message : String(error);
}

async function failure(res: Response): Promise<ApiError> {
  let code = `HTTP${res.status}`;
  let message = res.statusText || `HTTP ${res.status}`;
  try {
    const body = (await res.json()) as { error?: unknown; message?: unknown };
    if (typeof body.error === 'string') code = body.error;
    if (typeof body.message === 'string') message = body.message;
    else if (typeof body.error === 'string') message = body.error;
  } catch {
    // not JSON: keep the status text
  }
  return new ApiError(res.status, code, message);
}

export function createApi(baseUrl: string, token: () => Promise<string | undefined>, onUnauthorized: () => void): Api {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> => {
    const bearer = await token();
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        accept: 'application/json',
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (res.status === 401) onUnauthorized();
    if (!res.ok) throw await failure(res);
    return res;
  };
  return {
    get: async <T>(path: string) => (await (await call('GET', path)).json()) as T,
    post: async <T>(path: string, body?: unknown, headers?: Record<string, string>) => (await (await call('POST', path, body ?? {}, headers)).json()) as T,
    text: async (path: string) => (await call('GET', path)).text(),
  };
}

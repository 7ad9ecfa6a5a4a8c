// The management API as the console sees it: `{ success, message, data }`
// envelopes, the caller's access key as a Bearer token, errors as ApiError.

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  page_size: number;
}

/** A refused or failed call: the server's message, its status, and the field at fault if it named one. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export interface CallOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
}

/** Builds `path?query`, leaving out empty values. */
export function withQuery(path: string, query: Query | undefined): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export class ApiClient {
  constructor(
    private readonly key: string,
    /** The gateway's origin ('' = this page's); the playgrounds call relay routes on it. */
    readonly baseUrl = '',
  ) {}

  async call<T>(path: string, options: CallOptions = {}): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.key}` };
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    let res: Response;
    try {
      res = await fetch(this.baseUrl + withQuery(path, options.query), {
        method: options.method ?? 'GET',
        headers,
        body,
        signal: options.signal,
      });
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      throw new ApiError(0, 'The gateway could not be reached.');
    }
    const envelope = (await res.json().catch(() => null)) as { success?: boolean; message?: string; data?: unknown } | null;
    if (!res.ok || !envelope || envelope.success === false) {
      const data = envelope?.data as { field?: string } | undefined;
      throw new ApiError(res.status, envelope?.message || `HTTP ${res.status}`, data?.field);
    }
    return envelope.data as T;
  }

  get<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
    return this.call<T>(path, { query, signal });
  }
  post<T>(path: string, body?: unknown): Promise<T> {
    return this.call<T>(path, { method: 'POST', body: body ?? {} });
  }
  put<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>(path, { method: 'PUT', body });
  }
  delete<T>(path: string): Promise<T> {
    return this.call<T>(path, { method: 'DELETE' });
  }
}

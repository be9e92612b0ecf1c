import { Pool } from 'undici';

/**
 * HTTP for the workload: one undici keep-alive Pool per origin (connections are reused across
 * journeys, like a browser's or k6's), with per-request header and body timeouts. Every outcome
 * is an answer: a status and a parsed JSON body, or status 0 and the network error's name —
 * never a thrown error — so the caller records it and decides whether to retry.
 */
export interface HttpTimeouts {
  /** Time to the response headers. Default 10 s. */
  readonly headersMs?: number;
  /** Longest silence while the body arrives. Default 10 s. */
  readonly bodyMs?: number;
}

export interface HttpRequest {
  readonly method: 'GET' | 'PUT' | 'POST';
  /** Path below the base URL, starting with `/`. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Buffer;
}

export interface HttpAnswer {
  /** 0 when no response arrived. */
  readonly status: number;
  /** The parsed body when it was JSON. */
  readonly json?: unknown;
  /** For status 0: `timeout`, `aborted`, or the network error's code (`ECONNREFUSED`, `ECONNRESET`, `UND_ERR_SOCKET`...). */
  readonly error?: string;
  /** The answer's `Retry-After` in milliseconds, when it gave one in seconds. */
  readonly retryAfterMs?: number;
}

export interface HttpClientOptions {
  readonly timeouts?: HttpTimeouts;
  /** Most sockets to the origin. Default 256. */
  readonly connections?: number;
}

export class HttpClient {
  private readonly pool: Pool;
  private readonly prefix: string;
  private readonly headersMs: number;
  private readonly bodyMs: number;

  constructor(baseUrl: string, options: HttpClientOptions = {}) {
    const url = new URL(baseUrl);
    this.prefix = url.pathname.replace(/\/+$/, '');
    this.headersMs = options.timeouts?.headersMs ?? 10_000;
    this.bodyMs = options.timeouts?.bodyMs ?? 10_000;
    this.pool = new Pool(url.origin, { connections: options.connections ?? 256, keepAliveTimeout: 30_000, pipelining: 1 });
  }

  async send(request: HttpRequest, signal?: AbortSignal): Promise<HttpAnswer> {
    try {
      const res = await this.pool.request({
        method: request.method,
        path: this.prefix + request.path,
        headers: request.headers,
        body: request.body,
        headersTimeout: this.headersMs,
        bodyTimeout: this.bodyMs,
        signal,
      });
      const text = await res.body.text();
      const type = String(res.headers['content-type'] ?? '');
      const retryAfterMs = retryAfterMsOf(res.headers['retry-after']);
      return {
        status: res.statusCode,
        ...(type.includes('json') && text ? { json: parseJson(text) } : {}),
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      };
    } catch (error) {
      return { status: 0, error: networkErrorName(error, signal) };
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  /** Ends at once, cutting requests in flight (an aborted run). */
  destroy(): Promise<void> {
    return this.pool.destroy();
  }
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);

function networkErrorName(error: unknown, signal: AbortSignal | undefined): string {
  if (signal?.aborted) return 'aborted';
  const e = error as { code?: string; name?: string; cause?: { code?: string } };
  const code = e.cause?.code ?? e.code;
  if (code && TIMEOUT_CODES.has(code)) return 'timeout';
  if (e.name === 'AbortError') return 'aborted';
  return code ?? e.name ?? 'error';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** `Retry-After: <seconds>` in ms; the HTTP-date form is not used by this API and reads as none. */
export function retryAfterMsOf(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && /^\d+$/.test(value.trim()) ? Number(value.trim()) * 1000 : undefined;
}

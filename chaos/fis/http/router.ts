import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { FisError, validationError } from '../errors';

export interface RouteRequest {
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly body: Record<string, unknown>;
}

/** A handler's answer, or a promise of it (`unknown` covers both; the router awaits it either way). */
export type RouteHandler = (request: RouteRequest) => unknown;

export interface RouteDescription {
  /** The FIS operation name (`CreateExperimentTemplate`), as in the service model. */
  readonly operation: string;
  readonly method: string;
  /** The model's requestUri, e.g. `/experimentTemplates/{id}`. */
  readonly path: string;
}

interface Route extends RouteDescription {
  readonly segments: readonly string[];
  readonly handler: RouteHandler;
}

const MAX_BODY_BYTES = 1024 * 1024;

/**
 * A tiny REST router for the FIS restJson1 protocol: `METHOD /path/{param}` patterns, JSON in
 * and out, errors as `x-amzn-ErrorType` + `{message}` (what the SDK and the CLI parse).
 * Path parameters are matched segment by segment and then URL-decoded, so an ARN sent as
 * one encoded segment (`/tags/arn%3Aaws%3A...`) arrives whole.
 */
export class Router {
  private readonly routes: Route[] = [];

  add(operation: string, method: string, pattern: string, handler: RouteHandler): this {
    this.routes.push({ operation, method, path: pattern, segments: pattern.split('/').filter(Boolean), handler });
    return this;
  }

  /** Every operation served, for the test that diffs them against the service model. */
  operations(): RouteDescription[] {
    return this.routes.map(({ operation, method, path }) => ({ operation, method, path }));
  }

  readonly handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = randomUUID();
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const match = this.match(req.method ?? 'GET', url.pathname);
      if (!match)
        return send(res, 404, requestId, { message: `No FIS operation at ${req.method} ${url.pathname}` }, 'UnknownOperationException');
      const body = await readJson(req);
      const result = await match.route.handler({ params: match.params, query: url.searchParams, body });
      send(res, 200, requestId, result ?? {});
    } catch (error) {
      if (error instanceof FisError) return send(res, error.status, requestId, { message: error.message }, error.code);
      send(res, 500, requestId, { message: (error as Error).message }, 'InternalServerException');
    }
  };

  private match(method: string, pathname: string): { route: Route; params: Record<string, string> } | undefined {
    const parts = pathname.split('/').filter(Boolean);
    for (const route of this.routes) {
      if (route.method !== method || route.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      const ok = route.segments.every((segment, i) => {
        if (segment.startsWith('{') && segment.endsWith('}')) {
          params[segment.slice(1, -1)] = decodeURIComponent(parts[i]);
          return true;
        }
        return segment === parts[i];
      });
      if (ok) return { route, params };
    }
    return undefined;
  }
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw validationError('request body is too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return {};
  try {
    const body = JSON.parse(text) as unknown;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('not an object');
    return body as Record<string, unknown>;
  } catch {
    throw validationError('request body is not a JSON object');
  }
}

function send(res: ServerResponse, status: number, requestId: string, body: unknown, errorType?: string): void {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(json),
    'x-amzn-requestid': requestId,
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  res.end(json);
}

import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A request the fake API received, with its body's SHA-256. */
export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly requestId: string;
  readonly bodySha256: string;
  readonly bodyBytes: number;
  readonly at: number;
}

/**
 * What to do with a request instead of answering it normally. `apply-then-reset`: the request takes
 * effect, then the connection is cut before the answer (an ambiguous failure). `retryAfterSeconds`:
 * the normal answer, with that `Retry-After`.
 */
export type Intervention =
  { status: number; body?: unknown } | 'reset' | 'hang' | 'apply-then-reset' | { delayMs: number } | { retryAfterSeconds: number };

export interface FakeApiOptions {
  readonly processAfterMs?: number;
  /** Called for every request; return an intervention or undefined to answer normally. */
  readonly intervene?: (request: SeenRequest, index: number) => Intervention | undefined;
}

export interface FakeApi {
  readonly url: string;
  readonly requests: SeenRequest[];
  close(): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type FakeImages = Map<string, { version: number; state: string; uploadedAt?: number }>;

/**
 * A small stand-in for the API, in-process, for the generator's tests: images in memory, the
 * API's routes and answers (create 201, upload 201 then `processed` after `processAfterMs`, the
 * API's 4xx for bad input), and a hook that lets a test answer a request differently — a 503, a
 * reset connection, no answer at all, a delay. Every request is recorded with its body's SHA-256.
 */
export async function startFakeApi(options: FakeApiOptions = {}): Promise<FakeApi> {
  const images: FakeImages = new Map();
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await bodyOf(req);
    const seen = seenRequestOf(req, body);
    requests.push(seen);
    const intervention = options.intervene?.(seen, requests.length - 1);
    if (intervention === 'reset') return void req.socket.destroy();
    if (intervention === 'hang') return; // never answers; the client's timeout must end it
    if (intervention && typeof intervention === 'object' && 'delayMs' in intervention)
      await new Promise((r) => setTimeout(r, intervention.delayMs));
    if (intervention && typeof intervention === 'object' && 'status' in intervention)
      return json(res, intervention.status, intervention.body ?? { statusCode: intervention.status, error: 'Injected' });
    const [status, answerBody] = answer(images, options.processAfterMs ?? 50, seen, body);
    if (intervention === 'apply-then-reset') return void req.socket.destroy();
    const retryAfter = intervention && typeof intervention === 'object' && 'retryAfterSeconds' in intervention;
    json(res, status, answerBody, retryAfter ? { 'retry-after': String(intervention.retryAfterSeconds) } : {});
  };
  const server = createServer((req, res) => void handle(req, res));
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function seenRequestOf(req: IncomingMessage, body: Buffer): SeenRequest {
  return {
    method: req.method ?? '',
    path: req.url ?? '',
    requestId: String(req.headers['x-request-id'] ?? ''),
    bodySha256: createHash('sha256').update(body).digest('hex'),
    bodyBytes: body.length,
    at: Date.now(),
  };
}

/** The API's answer to a request, on the images in memory (an upload is `processed` after `processAfterMs`). */
function answer(images: FakeImages, processAfterMs: number, req: SeenRequest, body: Buffer): [number, unknown] {
  const m = /^\/image\/([^/]+)(\/upload)?$/.exec(req.path);
  if (req.path === '/health/live') return [200, { status: 'ok' }];
  if (!m) return [404, { statusCode: 404, error: 'NotFound' }];
  const id = decodeURIComponent(m[1]);
  if (!UUID.test(id)) return [400, { statusCode: 400, error: 'InvalidId' }];
  const image = images.get(id);
  if (req.method === 'PUT' && !m[2]) {
    if (!image) images.set(id, { version: 1, state: 'created' });
    return [image ? 200 : 201, { id, ...images.get(id) }];
  }
  if (req.method === 'GET' && !m[2]) {
    if (!image) return [404, { statusCode: 404, error: 'NotFound' }];
    if (image.state === 'uploaded' && Date.now() - image.uploadedAt! >= processAfterMs)
      Object.assign(image, { state: 'processed', version: image.version + 1 });
    return [200, { id, ...image }];
  }
  if (req.method === 'POST' && m[2]) {
    if (!image) return [404, { statusCode: 404, error: 'NotFound' }];
    if (image.state !== 'created') return [409, { statusCode: 409, error: 'Conflict' }];
    const text = body.toString('latin1');
    if (text.includes('not an image')) return [415, { statusCode: 415, error: 'UnsupportedMediaType' }];
    if (text.includes('TRUNCATED')) return [422, { statusCode: 422, error: 'Unprocessable' }];
    if (body.length > 4096) return [413, { statusCode: 413, error: 'PayloadTooLarge' }];
    Object.assign(image, { state: 'uploaded', version: image.version + 1, uploadedAt: Date.now() });
    return [201, { id, ...image }];
  }
  return [405, { statusCode: 405, error: 'MethodNotAllowed' }];
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

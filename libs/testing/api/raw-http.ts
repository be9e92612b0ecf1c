import { connect, Socket } from 'node:net';

export const BOUNDARY = 'imagery-raw-boundary';

/** The parts of a one-file multipart body, so a test can send any prefix of it. */
export function multipartBody(file: Buffer, field = 'file'): { head: Buffer; file: Buffer; tail: Buffer; all: Buffer } {
  const head = Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${field}"; filename="x.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
  return { head, file, tail, all: Buffer.concat([head, file, tail]) };
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * A hand-written HTTP/1.1 request on a bare socket: the test decides exactly which bytes go out
 * and when the connection is cut, which no HTTP client allows.
 */
export class RawRequest {
  readonly socket: Socket;
  private received = Buffer.alloc(0);
  readonly response: Promise<RawResponse | undefined>;

  constructor(url: string, head: string) {
    const { hostname, port } = new URL(url);
    this.socket = connect(Number(port), hostname);
    this.socket.on('data', (chunk: Buffer) => (this.received = Buffer.concat([this.received, chunk])));
    this.socket.on('error', () => undefined); // resets are expected when the server cuts a body short
    this.response = new Promise((resolve) => this.socket.on('close', () => resolve(parseResponse(this.received))));
    this.socket.write(head);
  }

  write(bytes: Buffer | string): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.destroyed) return resolve();
      this.socket.write(bytes, () => resolve());
    });
  }

  /** Resolves once some response bytes have arrived (or the socket closed). */
  answered(): Promise<void> {
    return new Promise((resolve) => {
      if (this.received.length > 0 || this.socket.destroyed) return resolve();
      const done = () => resolve();
      this.socket.once('data', done);
      this.socket.once('close', done);
    });
  }

  get hasResponse(): boolean {
    return this.received.length > 0;
  }

  /** What has arrived so far, parsed. */
  peek(): RawResponse | undefined {
    return parseResponse(this.received);
  }

  abort(): void {
    this.socket.destroy();
  }
}

/** The request line and headers of a multipart upload; `length` undefined means chunked. */
export function uploadHead(url: string, path: string, length: number | undefined, extra: Record<string, string> = {}): string {
  const { host } = new URL(url);
  const headers: Record<string, string> = {
    host,
    accept: 'application/json',
    'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
    ...(length === undefined ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(length) }),
    ...extra,
  };
  return `POST ${path} HTTP/1.1\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n')}\r\n\r\n`;
}

/** One chunk of a chunked body. */
export const chunk = (bytes: Buffer): Buffer =>
  Buffer.concat([Buffer.from(`${bytes.length.toString(16)}\r\n`), bytes, Buffer.from('\r\n')]);

function parseResponse(raw: Buffer): RawResponse | undefined {
  const text = raw.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
  const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  let body = text.slice(end + 4);
  if (headers['transfer-encoding'] === 'chunked') body = dechunk(body);
  return { status: Number(statusLine.split(' ')[1]), headers, body };
}

function dechunk(body: string): string {
  let out = '';
  let rest = body;
  for (;;) {
    const eol = rest.indexOf('\r\n');
    if (eol < 0) return out;
    const size = parseInt(rest.slice(0, eol), 16);
    if (!size) return out;
    out += rest.slice(eol + 2, eol + 2 + size);
    rest = rest.slice(eol + 2 + size + 2);
  }
}

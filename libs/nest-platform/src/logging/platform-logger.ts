import { currentRequestContext } from '@imagery/aws-adapters';
import type { DynamicModule } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import pino, { DestinationStream, Logger } from 'pino';
import { LogEnv } from './log-config';
import { REDACTED_PATHS, redactText } from './redaction';
import { textLogStream } from './text-log-stream';

export interface LogOptions {
  /** Where log lines go (tests capture them); stdout by default. */
  readonly logDestination?: DestinationStream;
  /** Nothing logged (the test harness's quiet mode). */
  readonly quiet?: boolean;
}

/** Probes that run every second or two; logging each would drown the access log. */
const UNLOGGED = new Set(['/health/live', '/health/ready', '/metrics']);

/**
 * The process's root logger: JSON lines, redacted, each tagged with the instance and with the
 * request id the work serves (from the request context), so an operator can follow one upload
 * from the API's access log into the worker's job.
 */
export function createRootLogger(env: LogEnv & { INSTANCE_ID?: string }, role: 'api' | 'worker', options: LogOptions = {}): Logger {
  const destination = options.logDestination ?? (env.LOG_FORMAT === 'text' ? textLogStream() : pino.destination({ sync: false }));
  return pino(
    {
      level: options.quiet ? 'silent' : env.LOG_LEVEL,
      base: { role, instance: env.INSTANCE_ID ?? `${role}-${process.pid}` },
      redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
      mixin: requestContextFields,
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === 'string' ? redactText(a) : a)) as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}

/**
 * The request id (and image) of the work being done, from the request context: what ties a
 * worker's job lines to the upload that caused them. A request logger pino-http made already has
 * the id bound; it is not written twice.
 */
function requestContextFields(_merge: object, _level: number, logger: Logger): Record<string, string> {
  const context = currentRequestContext();
  if (!context) return {};
  const fields: Record<string, string> = context.imageId ? { imageId: context.imageId } : {};
  if (!('requestId' in logger.bindings())) fields.requestId = context.requestId;
  return fields;
}

/**
 * nestjs-pino over the root logger: Nest's own log calls become JSON lines, and (in an HTTP app)
 * every response gets one access-log line with method, redacted URL, status and duration.
 * The request id is assigned by the request-context middleware before this one runs.
 */
export function platformLoggerModule(root: Logger): DynamicModule {
  return LoggerModule.forRoot({
    pinoHttp: {
      logger: root,
      quietReqLogger: true,
      customAttributeKeys: { reqId: 'requestId' },
      genReqId: (req: IncomingMessage) => idText((req as IncomingMessage & { id?: unknown }).id),
      autoLogging: { ignore: (req: IncomingMessage) => UNLOGGED.has((req.url ?? '').split('?')[0]) },
      customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) =>
        err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
      serializers: {
        req: (req: IncomingMessage & { id?: unknown; raw?: IncomingMessage }) => ({
          method: req.method,
          url: redactText(req.url ?? ''),
          remoteAddress: req.socket?.remoteAddress ?? (req as { remoteAddress?: string }).remoteAddress,
          userAgent: req.headers?.['user-agent'],
          contentLength: req.headers?.['content-length'],
        }),
        res: (res: ServerResponse & { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
  });
}

/** The request id a middleware set on the request, as text ('' when none). */
function idText(id: unknown): string {
  return typeof id === 'string' || typeof id === 'number' ? String(id) : '';
}

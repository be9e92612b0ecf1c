import { currentRequestContext } from '@imagery/aws-adapters';
import { DynamicModule, Inject, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import pino, { DestinationStream, Logger } from 'pino';
import { LogEnv } from './log-config';
import { REDACTED_PATHS, redactText } from './redaction';
import { textLogStream } from './text-log-stream';
import { accessLogMiddleware } from './access-log.middleware';
import { batchedDestination } from './batched-destination';

export interface LogOptions {
  /** Where log lines go (tests capture them); stdout by default. */
  readonly logDestination?: DestinationStream;
  /** Nothing logged (the test harness's quiet mode). */
  readonly quiet?: boolean;
}

/**
 * The process's root logger: JSON lines, redacted, each tagged with the instance and with the
 * request id the work serves (from the request context), so an operator can follow one upload
 * from the API's access log into the worker's job.
 */
export function createRootLogger(env: LogEnv & { INSTANCE_ID?: string }, role: 'api' | 'worker', options: LogOptions = {}): Logger {
  const destination = options.logDestination ?? (env.LOG_FORMAT === 'text' ? textLogStream() : batchedDestination());
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
 * worker's job lines to the upload that caused them. A field the line itself carries wins (pino
 * merges the line's object over the mixin's), so the access log's id is never written twice.
 */
function requestContextFields(): Record<string, string> {
  const context = currentRequestContext();
  if (!context) return {};
  return context.imageId ? { requestId: context.requestId, imageId: context.imageId } : { requestId: context.requestId };
}

const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/** In an HTTP app, the access log on every route (see accessLogMiddleware); nothing in an application context. */
@Module({})
class PlatformLoggerModule implements NestModule {
  constructor(@Inject(ROOT_LOGGER) private readonly root: Logger) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(accessLogMiddleware(this.root)).forRoutes({ path: '*', method: RequestMethod.ALL });
  }
}

/**
 * nestjs-pino over the root logger, so Nest's own log calls become JSON lines; and (in an HTTP app)
 * one access-log line per response. nestjs-pino's own per-request middleware (pino-http, and a
 * second async context per request) is not mounted: the request context already carries the id.
 */
export function platformLoggerModule(root: Logger): DynamicModule {
  return {
    module: PlatformLoggerModule,
    imports: [LoggerModule.forRoot({ pinoHttp: { logger: root }, forRoutes: [] })],
    providers: [{ provide: ROOT_LOGGER, useValue: root }],
  };
}

import type { HttpHandler, HttpRequest, HttpResponse } from '@smithy/core/protocols';
import type { HttpHandlerOptions } from '@smithy/types';
import { RequestHandlerWrapper } from './aws-clients';

export type AroundHandle = (
  request: HttpRequest,
  send: () => Promise<{ response: HttpResponse }>,
  options?: HttpHandlerOptions,
) => Promise<{ response: HttpResponse }>;

/** A real HTTP handler with something around each request; everything else is delegated. */
export class DecoratedRequestHandler implements HttpHandler {
  constructor(
    private readonly real: HttpHandler,
    private readonly around: AroundHandle,
  ) {}

  handle(request: HttpRequest, options?: HttpHandlerOptions): Promise<{ response: HttpResponse }> {
    return this.around(request, () => this.real.handle(request, options), options);
  }

  updateHttpClientConfig(key: never, value: never): void {
    this.real.updateHttpClientConfig(key, value);
  }

  httpHandlerConfigs(): ReturnType<HttpHandler['httpHandlerConfigs']> {
    return this.real.httpHandlerConfigs();
  }

  destroy(): void {
    this.real.destroy?.();
  }
}

/** Outermost first: compose(a, b)(svc, real) is a around (b around real). */
export function composeWrappers(...wrappers: Array<RequestHandlerWrapper | undefined>): RequestHandlerWrapper | undefined {
  const present = wrappers.filter((w): w is RequestHandlerWrapper => w !== undefined);
  if (present.length === 0) return undefined;
  return (service, real) => present.reduceRight((inner, wrap) => wrap(service, inner), real);
}

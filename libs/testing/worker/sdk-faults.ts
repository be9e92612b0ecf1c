import { DecoratedRequestHandler, operationOf } from '@imagery/aws-adapters';
import type { AwsService, RequestHandlerWrapper } from '@imagery/aws-adapters';
import type { HttpHandler, HttpRequest, HttpResponse } from '@smithy/core/protocols';
import type { RequestHandlerOutput } from '@smithy/types';

/**
 * Test-side fault injection through the apps' `wrapRequestHandler` seam: the interceptor sees
 * every SDK request below the SDK's retries and parsing, and may forward it, delay it, count it
 * or fail it. A rejected promise here is what a network error looks like to the SDK.
 */
export interface SdkCall {
  readonly service: AwsService;
  /** The API operation: `SendMessage`, `GetObject`, `UpdateItem`... */
  readonly operation: string;
  readonly request: HttpRequest;
}

export type SdkOutput = RequestHandlerOutput<HttpResponse>;
export type Interceptor = (call: SdkCall, forward: () => Promise<SdkOutput>) => Promise<SdkOutput>;

export function interceptSdk(interceptor: Interceptor): RequestHandlerWrapper {
  return (service: AwsService, real: HttpHandler): HttpHandler =>
    new DecoratedRequestHandler(real, (request, send) => interceptor({ service, operation: operationOf(service, request), request }, send));
}

/** Not a code the SDK's retry strategy knows, so each injected fault fails exactly one API call. */
export class InjectedFault extends Error {
  override readonly name = 'InjectedFault';
  constructor(call: SdkCall) {
    super(`injected fault: ${call.service}:${call.operation}`);
  }
}

export const failCall = (call: SdkCall): Promise<never> => Promise.reject(new InjectedFault(call));

/** Whether an S3 request addresses `key` (path-style: /<bucket>/<key>). */
export const addressesKey = (call: SdkCall, key: string): boolean => call.service === 's3' && call.request.path.endsWith(`/${key}`);

/** Records every call an app makes, for assertions on how often it did something. */
export class SdkCallLog {
  readonly calls: SdkCall[] = [];

  /** A wrapper that records, then runs `next` (forwarding by default). */
  wrapper(next: Interceptor = (_call, forward) => forward()): RequestHandlerWrapper {
    return interceptSdk((call, forward) => {
      this.calls.push(call);
      return next(call, forward);
    });
  }

  count(operation: string, where: (call: SdkCall) => boolean = () => true): number {
    return this.calls.filter((c) => c.operation === operation && where(c)).length;
  }

  /** Messages asked to be deleted: one per DeleteMessage, one per entry of a DeleteMessageBatch (the worker's). */
  messagesDeleted(): number {
    return (
      this.count('DeleteMessage') + this.calls.filter((c) => c.operation === 'DeleteMessageBatch').reduce((n, c) => n + entriesOf(c), 0)
    );
  }
}

function entriesOf(call: SdkCall): number {
  // The SDK's JSON body is a Uint8Array (a string in older versions).
  const body: unknown = call.request.body;
  const text = body instanceof Uint8Array ? Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8') : String(body);
  return (JSON.parse(text) as { Entries?: unknown[] }).Entries?.length ?? 0;
}

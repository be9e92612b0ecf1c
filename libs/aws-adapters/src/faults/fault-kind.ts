import type { HttpRequest, HttpResponse } from '@smithy/core/protocols';
import { AwsService } from '../aws-clients';
import { FaultSpec } from './fault-rule';

/** One intercepted SDK call. */
export interface InterceptedCall {
  readonly service: AwsService;
  readonly operation: string;
  readonly request: HttpRequest;
  readonly requestId: string;
  /** Sends the request to the real service. */
  send(): Promise<{ response: HttpResponse }>;
}

export interface FaultEnvironment {
  /** Ends the process at once, as a crash would (no shutdown hooks). */
  crash(): void;
  random(): number;
  sleep(ms: number): Promise<void>;
}

/**
 * A kind of fault, like a Toxiproxy toxic: one file each under kinds/, registered by name.
 * It answers the call in place of (or around) the real service.
 */
export interface FaultKind<K extends FaultSpec['kind'] = FaultSpec['kind']> {
  readonly kind: K;
  inject(call: InterceptedCall, spec: Extract<FaultSpec, { kind: K }>, env: FaultEnvironment): Promise<{ response: HttpResponse }>;
}

import { Readable } from 'node:stream';
import { FaultKind } from '../fault-kind';

/**
 * The worst kind of failure for a state machine: the service receives and applies the request,
 * then the response is lost. The caller sees a connection reset, which the SDK (rightly) retries.
 */
export const ambiguousFault: FaultKind<'ambiguous'> = {
  kind: 'ambiguous',
  inject: async (call) => {
    const { response } = await call.send();
    if (response.body instanceof Readable) response.body.resume(); // let the socket finish cleanly
    throw Object.assign(new Error(`injected fault: ${call.service}:${call.operation} applied, response lost`), { code: 'ECONNRESET' });
  },
};

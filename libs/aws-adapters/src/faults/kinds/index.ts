import { FaultSpec } from '../fault-rule';
import { FaultKind } from '../fault-kind';
import { ambiguousFault } from './ambiguous.fault';
import { crashFault } from './crash.fault';
import { internalErrorFault, throttleFault, unavailableFault } from './error-response.fault';
import { latencyFault } from './latency.fault';

/** Every fault kind by name; adding a kind is adding a file and a line here. */
export const FAULT_KINDS: { readonly [K in FaultSpec['kind']]: FaultKind<K> } = {
  'internal-error': internalErrorFault,
  unavailable: unavailableFault,
  throttle: throttleFault,
  latency: latencyFault,
  ambiguous: ambiguousFault,
  crash: crashFault,
};

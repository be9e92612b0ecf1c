import { awsErrorResponse, InjectedError } from '../aws-error-response';
import { FaultKind } from '../fault-kind';

/** The service answers with its own error shape; the SDK parses and retries it like a real one. */
const errorFault = <K extends InjectedError>(kind: K): FaultKind<K> => ({
  kind,
  inject: (call) => Promise.resolve({ response: awsErrorResponse(call.service, kind, call.requestId) }),
});

export const internalErrorFault = errorFault('internal-error');
export const unavailableFault = errorFault('unavailable');
export const throttleFault = errorFault('throttle');

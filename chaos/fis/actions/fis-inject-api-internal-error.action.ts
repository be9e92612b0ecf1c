import { apiFaultAction } from './api-fault-action';

/** AWS: 500 InternalError on the target role's calls. Locally: a real AWS-shaped 500 below the SDK, so it retries. */
export const injectApiInternalError = apiFaultAction({
  id: 'aws:fis:inject-api-internal-error',
  description: 'Injects internal errors (HTTP 500) into the calls the target roles make to the given service and operations.',
  fault: () => ({ kind: 'internal-error' }),
});

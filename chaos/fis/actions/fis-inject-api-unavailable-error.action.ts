import { apiFaultAction } from './api-fault-action';

/** AWS: 503 ServiceUnavailable on the target role's calls. */
export const injectApiUnavailableError = apiFaultAction({
  id: 'aws:fis:inject-api-unavailable-error',
  description: 'Injects unavailable errors (HTTP 503) into the calls the target roles make to the given service and operations.',
  fault: () => ({ kind: 'unavailable' }),
});

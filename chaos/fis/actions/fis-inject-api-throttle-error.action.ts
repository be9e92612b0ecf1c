import { apiFaultAction } from './api-fault-action';

/** AWS: throttling errors (the service's own code, e.g. ThrottlingException) on the target role's calls. */
export const injectApiThrottleError = apiFaultAction({
  id: 'aws:fis:inject-api-throttle-error',
  description: 'Injects throttling errors into the calls the target roles make to the given service and operations.',
  fault: () => ({ kind: 'throttle' }),
});

import { apiFaultAction } from './api-fault-action';

/**
 * Local extension (AWS has no such action): the call reaches the service and is applied, but
 * its response is lost, so the caller sees a network error for a write that happened — the
 * case idempotent transitions exist for (e.g. an ambiguous UpdateItem mid-transition).
 */
export const localApiAmbiguous = apiFaultAction({
  id: 'local:api:ambiguous',
  description: 'Local extension. Matching calls are applied by the service but the response is lost: the caller gets a network error.',
  fault: () => ({ kind: 'ambiguous' }),
});

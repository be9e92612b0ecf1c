import type { ScheduledFault } from '../../../chaos/nemesis/schedule/fault-schedule';

type ApiFault = Extract<ScheduledFault, { type: 'api' }>;

/** A scheduled API fault for specs: an ambiguous worker UpdateItem, first in request `r-<at>`, unless told otherwise. */
export const scheduledApiFault = (at: number, over: Partial<ApiFault> = {}): ScheduledFault => ({
  type: 'api',
  at,
  role: 'worker',
  service: 'dynamodb',
  operation: 'UpdateItem',
  fault: { kind: 'ambiguous' },
  match: { requestId: `r-${at}`, occurrence: 1 },
  ...over,
});

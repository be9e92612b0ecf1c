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

/** A scheduled toxic for specs: a 30 % reset_peer on the s3 proxy's upstream over [at, until). */
export const scheduledToxic = (at: number, until: number): ScheduledFault => ({
  type: 'toxic',
  at,
  until,
  proxy: 's3',
  toxic: { type: 'reset_peer', stream: 'upstream', toxicity: 0.3, attributes: { timeout: 0 } },
});

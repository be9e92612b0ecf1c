import { describeEvent, finalAttempt, requestsOf } from '../history-index';
import type { Invariant, Violation } from '../violation';

/**
 * Bad input is rejected: every request sent bad on purpose (not an image, truncated, too large,
 * malformed id) is answered 4xx. Violations: any attempt answered 2xx or 3xx (the bad input was
 * accepted), or the last attempt answered 5xx (a 5xx that a retry turned into a 4xx is fine).
 * A last attempt that got no answer at all (network error) tells nothing and is not judged.
 */
export const badInputRejected: Invariant = (history) => {
  const violations: Violation[] = [];
  for (const request of requestsOf(history)) {
    if (!request.bad) continue;
    const accepted = request.attempts.find((e) => e.status >= 200 && e.status < 400);
    const last = finalAttempt(request);
    const reject = (message: string) =>
      violations.push({ invariant: 'bad-input-rejected', ids: [request.id], message: `${request.bad} ${request.op}: ${message}` });
    if (accepted) reject(`accepted: ${describeEvent(accepted)}`);
    else if (last.status >= 500) reject(`last of ${request.attempts.length} attempt(s) answered ${last.status}: ${describeEvent(last)}`);
  }
  return violations;
};

import { indexNemesis } from '../nemesis-index';
import { describeOperation, endOf, indexHistory, isOk, lastAttempt, type ClientRequest } from '../history-index';
import type { SyncInvariant, Violation } from '../violation';

/**
 * Bad input is rejected: every request sent bad on purpose (not an image, truncated, too large,
 * malformed id) is answered 4xx (`fail`). Violations: any attempt answered 2xx (the bad input was
 * accepted), or the last attempt answered 5xx (a 5xx that a retry turned into a 4xx is fine).
 * A last attempt without a response (network error, timeout, no completion) tells nothing, and
 * neither does a 5xx that an injected fault explains (a fault on one of its requests, or on its
 * image while the request ran): the API could not even look at the input.
 */
export const badInputRejected: SyncInvariant = ({ history }) => {
  const index = indexHistory(history);
  const violations: Violation[] = [];
  for (const request of index.requests) {
    if (!request.bad) continue;
    const accepted = request.attempts.find(isOk);
    const last = lastAttempt(request);
    const reject = (message: string) =>
      violations.push({ invariant: 'bad-input-rejected', ids: [request.id], message: `${request.bad} ${request.op}: ${message}` });
    if (accepted) reject(`accepted: ${describeOperation(accepted, index.origin)}`);
    else if ((last.completion?.status ?? 0) >= 500 && !explainedByFault(request, history)) {
      reject(`last of ${request.attempts.length} attempt(s) answered ${last.completion!.status}: ${describeOperation(last, index.origin)}`);
    }
  }
  return violations;
};

function explainedByFault(request: ClientRequest, history: Parameters<SyncInvariant>[0]['history']): boolean {
  const nemesis = indexNemesis(history);
  if (request.attempts.some((o) => nemesis.apiFaultsByRequest.has(o.invoke.requestId))) return true;
  const from = request.attempts[0].invoke.time;
  const to = endOf(lastAttempt(request));
  return (nemesis.apiFaultsByImage.get(request.id) ?? []).some((f) => f.time >= from && f.time <= to);
}

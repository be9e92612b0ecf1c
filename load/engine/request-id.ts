/**
 * The `x-request-id` of every request the workload sends: a pure function of the run tag, the
 * journey's number, the request's step in the journey (1, 2, …: one per logical request, however
 * often it is retried) and the attempt. Keyed by step, not by a running count of attempts, so a
 * replayed journey whose first request needs one retry more still sends the same ids for its later
 * requests, and an API fault recorded against a request id fires on it again.
 *
 * The API takes a client's id when it matches [A-Za-z0-9._:@/+=-]{1,128}
 * (libs/nest-platform/src/logging/request-id.ts): a run tag is at most 64 of [A-Za-z0-9._-].
 */
export interface RequestKey {
  readonly runTag: string;
  /** The journey (iteration) number: the history's `process`. */
  readonly journey: number;
  readonly step: number;
  readonly attempt: number;
}

export const requestIdOf = (k: RequestKey): string => `${k.runTag}-j${k.journey}-s${k.step}-a${k.attempt}`;

const REQUEST_ID = /^([A-Za-z0-9._-]+)-j(\d+)-s(\d+)-a(\d+)$/;

/** The key of a request id the workload sent, or undefined for any other id. */
export function parseRequestId(requestId: string): RequestKey | undefined {
  const m = REQUEST_ID.exec(requestId);
  if (!m) return undefined;
  return { runTag: m[1], journey: Number(m[2]), step: Number(m[3]), attempt: Number(m[4]) };
}

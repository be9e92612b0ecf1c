import { setTimeout as sleep } from 'node:timers/promises';
import type { BadInputKind, ClientOp, CompletionType } from '@imagery/history/history-entry';
import type { HistorySink } from '@imagery/history/history-file';
import type { HttpAnswer, HttpClient, HttpRequest } from './http-client';
import type { WorkloadMetrics } from './metrics';
import { requestIdOf } from './request-id';
import { jittered } from './seeded-choices';

/**
 * What a journey holds while it runs (k6: the VU inside one iteration): its number, its random
 * stream, and `send`, which does the idempotent retry and writes the history. A journey is a
 * plain async function of a VirtualUser (see load/imagery.ts).
 */
export interface RetryPolicy {
  /** Tries per request, the first included. */
  readonly maxAttempts: number;
  /** Backoff before retry n: min(maxMs, baseMs × 2ⁿ⁻¹), 50–100 % of it (jitter from the iteration's stream). */
  readonly baseMs: number;
  readonly maxMs: number;
}

export interface SendExtra {
  /** Uploads: SHA-256 of the bytes sent. */
  readonly sha256?: string;
  /** A deliberately bad request: a 4xx is the right answer. */
  readonly bad?: BadInputKind;
}

export interface SendResult extends HttpAnswer {
  /** The attempt that gave this answer. */
  readonly attempt: number;
  /** An earlier attempt of this request ended `info` (it may have been applied). */
  readonly afterInfo: boolean;
  readonly version?: number;
  readonly state?: string;
}

export interface VirtualUserDeps {
  readonly http: HttpClient;
  readonly history: HistorySink;
  readonly metrics: WorkloadMetrics;
  readonly retry: RetryPolicy;
  /** Prefix of every x-request-id of the run. */
  readonly runTag: string;
}

/** The journey was interrupted (gracefulStop passed, or the run was aborted). */
export class JourneyInterrupted extends Error {
  constructor() {
    super('journey interrupted');
    this.name = 'JourneyInterrupted';
  }
}

export const is2xx = (status: number): boolean => status >= 200 && status < 300;
/** Jepsen's completion types: 2xx ok (applied), 4xx fail (not applied), anything else info (unknown). */
export const completionType = (status: number): CompletionType => (is2xx(status) ? 'ok' : status >= 400 && status < 500 ? 'fail' : 'info');
/** Retried: no answer (network error, timeout), 429, 5xx. Any other 4xx is an answer. */
export const retryable = (status: number): boolean => status === 0 || status === 429 || status >= 500;

/** Where and how an iteration starts. */
export interface IterationStart {
  /** When the executor scheduled it: ms since the load started. */
  readonly offsetMs: number;
  /** The retry jitter's stream (seeded-choices.ts retryRandom). */
  readonly jitter: () => number;
}

export class VirtualUser {
  private steps = 0;
  private description: Readonly<Record<string, unknown>> | undefined;

  constructor(
    /** The iteration's number: the history's `process`. */
    readonly iteration: number,
    /** The iteration's random stream for its choices (seeded-choices.ts iterationRandom). */
    readonly random: () => number,
    readonly signal: AbortSignal,
    private readonly deps: VirtualUserDeps,
    private readonly start: IterationStart,
  ) {}

  /**
   * What this journey is (load/recorded-workload.ts), written with its start offset `at` on the
   * invoke of its next request: call it before the first `send`.
   */
  describe(description: Readonly<Record<string, unknown>>): void {
    this.description = { at: Math.round(this.start.offsetMs), ...description };
  }

  /**
   * Sends `request` until it gets an answer that is not retryable, at most maxAttempts times, with
   * backoff. Every retry is the very same request: same method, path (so the same id), headers and
   * body bytes; only `x-request-id` differs, one per attempt (request-id.ts: run tag, journey,
   * step, attempt). Writes an `invoke` before each attempt and its completion after.
   */
  async send(op: ClientOp, id: string, request: HttpRequest, extra: SendExtra = {}): Promise<SendResult> {
    const { http, history, metrics, retry } = this.deps;
    let afterInfo = false;
    const step = ++this.steps;
    for (let attempt = 1; ; attempt++) {
      this.throwIfInterrupted();
      const requestId = requestIdOf({ runTag: this.deps.runTag, journey: this.iteration, step, attempt });
      const fields = { process: this.iteration, op, id, attempt, requestId, step, ...extra };
      const journey = this.description;
      this.description = undefined;
      history.append({ type: 'invoke', time: Date.now(), ...fields, ...(journey ? { journey } : {}) });
      const sent = performance.now();
      const answer = await http.send({ ...request, headers: { ...request.headers, 'x-request-id': requestId } }, this.signal);
      const ms = performance.now() - sent;
      const type = completionType(answer.status);
      const item = is2xx(answer.status) ? itemOf(answer.json) : {};
      const error = answer.error ?? (type === 'ok' ? undefined : errorCodeOf(answer.json));
      history.append({ type, time: Date.now(), ...fields, status: answer.status, ...(error ? { error } : {}), ...item });
      metrics.recordRequest(op, type, attempt, ms);
      metrics.ids.add(id);
      if (item.state === 'processed') metrics.processedIds.add(id);
      this.throwIfInterrupted();
      if (!retryable(answer.status) || attempt >= retry.maxAttempts) return { ...answer, attempt, afterInfo, ...item };
      if (type === 'info') afterInfo = true;
      await this.sleep(jittered(this.start.jitter, Math.min(retry.maxMs, retry.baseMs * 2 ** (attempt - 1))));
    }
  }

  /** k6's check(): counts in the `checks` rate, returns `ok`. */
  check(ok: boolean): boolean {
    return this.deps.metrics.check(ok);
  }

  /** A pause that ends early (throwing JourneyInterrupted) if the journey is interrupted. */
  async sleep(ms: number): Promise<void> {
    try {
      await sleep(ms, undefined, { signal: this.signal });
    } catch {
      throw new JourneyInterrupted();
    }
  }

  get metrics(): WorkloadMetrics {
    return this.deps.metrics;
  }

  private throwIfInterrupted(): void {
    if (this.signal.aborted) throw new JourneyInterrupted();
  }
}

function itemOf(json: unknown): { version?: number; state?: string } {
  if (typeof json !== 'object' || json === null) return {};
  const { version, state } = json as { version?: unknown; state?: unknown };
  return { ...(typeof version === 'number' ? { version } : {}), ...(typeof state === 'string' ? { state } : {}) };
}

/** The API's error body is `{statusCode, error, message}`: `error` is the code. */
function errorCodeOf(json: unknown): string | undefined {
  const error = typeof json === 'object' && json !== null ? (json as { error?: unknown }).error : undefined;
  return typeof error === 'string' ? error : undefined;
}

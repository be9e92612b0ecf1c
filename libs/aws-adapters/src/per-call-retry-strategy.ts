import type { Provider, RetryErrorInfo, RetryStrategyV2, RetryToken } from '@smithy/types';
import { hashSeed, seededRandom } from '@imagery/kernel/seeded-random';
import { currentRequestContext } from './request-context';

/** The SDK's standard-mode backoff bases (ms): full jitter over base × 2^retry, capped at 20 s. */
const BASE_DELAY_MS = 50;
const THROTTLING_BASE_DELAY_MS = 1_000;
const MAX_DELAY_MS = 20_000;

/**
 * The SDK's standard retries (the same attempts, retryable error types and backoff) without the
 * retry quota a client shares across all its calls. With that quota, whether one call is retried
 * depends on how many *other* calls failed lately (50 % ambiguous UpdateItems drain it within
 * seconds), so a recorded fault schedule could not be replayed call for call: a replay would see a
 * different number of attempts per request. Per call, the attempts depend on that call's own
 * errors only; bounded attempts with backoff still keep a retry storm to maxAttempts× the load.
 * The backoff's jitter is drawn per call too (`requestSeededJitter`), so a replayed request's retries
 * come when the recorded ones did.
 */
export class PerCallRetryStrategy implements RetryStrategyV2 {
  readonly mode = 'standard';

  constructor(
    /** The client's resolved maxAttempts (AWS_MAX_ATTEMPTS, or the service's default). */
    private readonly maxAttempts: Provider<number>,
    /** A number in [0, 1) for the backoff's jitter before retry number `retries + 1`. */
    private readonly jitter: (retries: number) => number = Math.random,
  ) {}

  acquireInitialRetryToken(): Promise<RetryToken> {
    return Promise.resolve(retryToken(0, 0));
  }

  async refreshRetryTokenForRetry(previous: RetryToken, error: RetryErrorInfo): Promise<RetryToken> {
    const retries = previous.getRetryCount();
    const retryable = error.errorType === 'TRANSIENT' || error.errorType === 'THROTTLING';
    if (!retryable || retries + 1 >= (await this.maxAttempts())) throw new Error('No retry token available');
    const base = error.errorType === 'THROTTLING' ? THROTTLING_BASE_DELAY_MS : BASE_DELAY_MS;
    const backoff = Math.floor(this.jitter(retries) * 2 ** retries * base);
    const hinted = error.retryAfterHint ? error.retryAfterHint.getTime() - Date.now() : 0;
    return retryToken(retries + 1, Math.min(MAX_DELAY_MS, Math.max(backoff, hinted)));
  }

  recordSuccess(): void {
    // Nothing shared to refill.
  }
}

function retryToken(retries: number, delayMs: number): RetryToken {
  return { getRetryCount: () => retries, getRetryDelay: () => delayMs };
}

/**
 * Jitter drawn from the request a call serves (its id) and the retry's number: the same request
 * waits the same before each retry in every run. Calls outside a request draw at random.
 */
export function requestSeededJitter(retries: number): number {
  const context = currentRequestContext();
  return context ? seededRandom(hashSeed(retries, context.requestId))() : Math.random();
}

import { StandardRetryStrategy } from '@smithy/core/retry';
import type { RetryErrorInfo, RetryStrategyV2 } from '@smithy/types';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createAwsClients } from './aws-clients';
import { runWithRequestContext } from './request-context';
import { PerCallRetryStrategy, requestSeededJitter } from './per-call-retry-strategy';

const transient: RetryErrorInfo = { errorType: 'TRANSIENT' };

/** Attempts one call makes when every attempt fails with `error` (the strategy's delays are not waited for). */
async function attemptsOf(strategy: RetryStrategyV2, error: RetryErrorInfo = transient): Promise<number> {
  let token = await strategy.acquireInitialRetryToken('');
  for (let attempts = 1; ; attempts++) {
    try {
      token = await strategy.refreshRetryTokenForRetry(token, error);
    } catch {
      return attempts;
    }
  }
}

describe('PerCallRetryStrategy', () => {
  it("retries each call as often as its own errors allow, however many other calls failed (the SDK's shared quota does not)", async () => {
    const perCall = new PerCallRetryStrategy(
      () => Promise.resolve(4),
      () => 0,
    );
    const perCallAttempts = await Promise.all(Array.from({ length: 60 }, () => attemptsOf(perCall)));
    expect(new Set(perCallAttempts)).toEqual(new Set([4]));

    // Why it exists: with the SDK's strategy, the same 60 failing calls drain one quota, and later
    // calls get fewer attempts than earlier ones: a call's retries depend on other calls.
    const shared = new StandardRetryStrategy({ maxAttempts: 4, baseDelay: 0 });
    const sharedAttempts: number[] = [];
    for (let i = 0; i < 60; i++) sharedAttempts.push(await attemptsOf(shared));
    expect(sharedAttempts[0]).toBe(4);
    expect(sharedAttempts.at(-1)).toBe(1);
  });

  it('does not retry errors the SDK would not retry', async () => {
    const strategy = new PerCallRetryStrategy(() => Promise.resolve(4));
    expect(await attemptsOf(strategy, { errorType: 'CLIENT_ERROR' })).toBe(1);
    expect(await attemptsOf(strategy, { errorType: 'SERVER_ERROR' })).toBe(1);
    expect(await attemptsOf(strategy, { errorType: 'THROTTLING' })).toBe(4);
  });

  it('backs off with full jitter over base × 2^retry (1 s base when throttled), honours retry-after, caps at 20 s', async () => {
    const strategy = new PerCallRetryStrategy(
      () => Promise.resolve(10),
      () => 0.999,
    );
    let token = await strategy.acquireInitialRetryToken();
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      token = await strategy.refreshRetryTokenForRetry(token, transient);
      delays.push(token.getRetryDelay());
    }
    expect(delays).toEqual([49, 99, 199]);
    const throttled = await strategy.refreshRetryTokenForRetry(token, { errorType: 'THROTTLING' });
    expect(throttled.getRetryDelay()).toBe(7_992);
    const hinted = await strategy.refreshRetryTokenForRetry(await strategy.acquireInitialRetryToken(), {
      errorType: 'THROTTLING',
      retryAfterHint: new Date(Date.now() + 60_000),
    });
    expect(hinted.getRetryDelay()).toBe(20_000);
  });

  it("draws a retry's jitter from its request: the same request waits the same in every run, another request differently", () => {
    const draws = (requestId: string) => runWithRequestContext({ requestId }, () => [0, 1, 2].map(requestSeededJitter));
    const first = draws('s1-abc-j7-s2-a1');
    expect(draws('s1-abc-j7-s2-a1')).toEqual(first);
    expect(draws('s1-abc-j8-s2-a1')).not.toEqual(first);
    expect(new Set(first).size).toBe(3);
    for (const x of first) expect(x >= 0 && x < 1).toBe(true);
  });

  describe('in createAwsClients({ perCallRetries })', () => {
    const saved = { ...process.env };
    beforeAll(() => {
      Object.assign(process.env, { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });
      process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:9';
    });
    afterAll(() => {
      process.env = saved;
    });

    /** Clients whose every attempt gets a connection reset (below the SDK's retries, as an injected fault would). */
    const resetting = (perCallRetries: boolean) =>
      createAwsClients({
        perCallRetries,
        wrapRequestHandler: (_service, real) => ({
          handle: () => Promise.reject(Object.assign(new Error('reset by the test'), { code: 'ECONNRESET' })),
          updateHttpClientConfig: (k, v) => real.updateHttpClientConfig(k, v),
          httpHandlerConfigs: () => real.httpHandlerConfigs(),
          metadata: real.metadata,
        }),
      });

    const attemptsOfCalls = async (perCallRetries: boolean, calls: number) => {
      const clients = resetting(perCallRetries);
      try {
        const errors = await Promise.all(
          Array.from({ length: calls }, () =>
            clients.dynamodb.send(new GetCommand({ TableName: 't', Key: { id: 'x' } })).then(
              () => undefined,
              (err: { $metadata?: { attempts?: number } }) => err,
            ),
          ),
        );
        return errors.map((e) => e?.$metadata?.attempts);
      } finally {
        clients.destroy();
      }
    };

    it("gives every call DynamoDB's default attempts under many concurrent failures, and reads AWS_MAX_ATTEMPTS", async () => {
      expect(new Set(await attemptsOfCalls(true, 50))).toEqual(new Set([4]));
      expect(new Set(await attemptsOfCalls(false, 50)).size).toBeGreaterThan(1); // the SDK's default: the quota runs out
      process.env.AWS_MAX_ATTEMPTS = '2';
      expect(new Set(await attemptsOfCalls(true, 5))).toEqual(new Set([2]));
      delete process.env.AWS_MAX_ATTEMPTS;
    });
  });
});

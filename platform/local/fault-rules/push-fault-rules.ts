import type { FaultRule } from '@imagery/aws-adapters';
import { setTimeout as sleep } from 'node:timers/promises';

export interface PushTiming {
  /** How long one PUT may take. */
  readonly attemptTimeoutMs?: number;
  /** How long an instance that does not answer in time is tried again. */
  readonly budgetMs?: number;
}

/**
 * Replaces an instance's whole rule list through its loopback-only control endpoint. The PUT is
 * idempotent, so one that gets no answer in time is sent again until the budget is spent: an
 * instance swamped by a retry storm can take seconds to read one more request (sqs-dynamodb-impairment
 * once failed its throttle-item-writes action on a single 3 s timeout, and came out INCOMPLETE).
 * Anything else fails at once: an answer refusing the rules, or a refused connection (the instance is
 * gone, which the registry does not count as a failure).
 */
export async function pushFaultRules(baseUrl: string, rules: readonly FaultRule[], timing: PushTiming = {}): Promise<void> {
  const { attemptTimeoutMs = 3_000, budgetMs = 15_000 } = timing;
  const deadline = Date.now() + budgetMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await putRules(baseUrl, rules, Math.max(1, Math.min(attemptTimeoutMs, deadline - Date.now())));
    } catch (err) {
      if ((err as Error).name !== 'TimeoutError') throw err;
      if (Date.now() >= deadline) throw new Error(`PUT /_chaos/faults: no answer in ${budgetMs} ms (${attempt} attempts)`, { cause: err });
      await sleep(Math.min(250, Math.max(0, deadline - Date.now())));
    }
  }
}

/** One PUT; an answer that refuses the rules is an error (never a TimeoutError, so never sent again). */
async function putRules(baseUrl: string, rules: readonly FaultRule[], timeoutMs: number): Promise<void> {
  const res = await fetch(`${baseUrl}/_chaos/faults`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(rules),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`PUT /_chaos/faults: HTTP ${res.status} ${text.slice(0, 300)}`);
}

import type { FaultRule } from '@imagery/aws-adapters';

/** Replaces an instance's whole rule list through its loopback-only control endpoint. */
export async function pushFaultRules(baseUrl: string, rules: readonly FaultRule[], timeoutMs = 3_000): Promise<void> {
  const res = await fetch(`${baseUrl}/_chaos/faults`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(rules),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`PUT /_chaos/faults: HTTP ${res.status} ${text.slice(0, 300)}`);
}

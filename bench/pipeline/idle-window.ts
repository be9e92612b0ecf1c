import { setTimeout as sleep } from 'node:timers/promises';
import { round1 } from '@imagery/kernel/stats';
import { AwsCallsServed, countFleetCalls } from './fleet-calls';
import type { PhaseContext } from './phase-context';
import { CpuUsage, measureCpu, ROLES } from './proc-cpu';

/** The platform with no load at all: what its background (readiness checks, sweeps, empty receives) costs per second. */
export interface IdleWindow {
  readonly seconds: number;
  readonly cpu: CpuUsage;
  /** Per role, CPU per second of idling (the bench itself left out). */
  readonly coreMsPerSecond: Readonly<Record<string, number>>;
  readonly calls: AwsCallsServed;
  /** The fleet's AWS calls per second while idle, by operation. */
  readonly callsPerSecond: Readonly<Record<string, number>>;
}

/** `seconds` with no load on a drained platform: the fleet's AWS calls (its metrics) and every process's CPU. */
export async function measureIdle(context: PhaseContext, seconds: number): Promise<IdleWindow> {
  context.log(`idle window: ${seconds} s with no load`);
  const calls = await countFleetCalls(context.session.platform.controlPlane.metrics);
  const cpu = measureCpu();
  await sleep(seconds * 1000);
  const usage = cpu.stop();
  const served = await calls.stop();
  const perSecond = (n: number) => round1(n / Math.max(0.001, served.seconds));
  const coreMsPerSecond = Object.fromEntries(
    ROLES.filter((r) => r !== 'bench').map((r) => [r, round1((1000 * usage.seconds[r]) / Math.max(0.001, usage.wallSeconds))]),
  );
  const idle: IdleWindow = {
    seconds: usage.wallSeconds,
    cpu: usage,
    coreMsPerSecond,
    calls: served,
    callsPerSecond: Object.fromEntries(Object.entries(served.byOperation).map(([op, n]) => [op, perSecond(n)])),
  };
  context.log(`idle: ${served.perSecond} AWS calls/s (${describe(idle.callsPerSecond)}); CPU core-ms/s: ${describe(coreMsPerSecond)}`);
  return idle;
}

/** "a 1.5, b 0.5", largest first, zeros left out. */
export function describe(values: Readonly<Record<string, number>>): string {
  return (
    Object.entries(values)
      .filter(([, v]) => v > 0)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || 'none'
  );
}

import type { Measurements } from './measurements';
import { STALL_THRESHOLD_MS, Stalls } from './stall-watch';

export interface StalledPhase {
  readonly phase: string;
  readonly stalls: Stalls;
}

/** Every measured phase during which the machine stood still (stall-watch.ts), in the order they ran. */
export function stalledPhases(m: Measurements): StalledPhase[] {
  const phases: StalledPhase[] = [
    { phase: 'sharp: sepia alone', stalls: m.ceiling.sharpRate.sepia.stalls },
    { phase: 'sharp: inspect + sepia', stalls: m.ceiling.sharpRate.pipeline.stalls },
    ...[m.warmUp, m.latency].map((p) => ({ phase: p.name, stalls: p.cpu.stalls })),
    { phase: 'idle window', stalls: m.idle.cpu.stalls },
    ...m.apiLoads.map((a) => ({ phase: a.name, stalls: a.cpu.stalls })),
    ...m.apiSaturation.steps.map((s) => ({ phase: s.load.name, stalls: s.load.cpu.stalls })),
    ...m.throughput.map((p) => ({ phase: p.name, stalls: p.cpu.stalls })),
  ];
  return phases.filter((p) => p.stalls.count > 0);
}

/** The line under the rows: which phases measured a pause of the machine rather than the platform. */
export function stallsLine(stalled: readonly StalledPhase[]): string {
  if (stalled.length === 0) return `no stall: the bench's clock ran without a gap of ${STALL_THRESHOLD_MS / 1000} s or more in every phase`;
  const list = stalled.map((p) => `${p.phase} (${p.stalls.totalSeconds} s, longest ${p.stalls.longestSeconds} s)`).join(', ');
  return (
    `STALLED: the machine stood still during ${list}; the rows taken from these phases measured the pause, ` +
    'not the platform: run the bench again'
  );
}

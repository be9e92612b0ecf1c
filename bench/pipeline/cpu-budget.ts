import { cpus } from 'node:os';
import { round1, round2 } from '@imagery/kernel/stats';
import type { PipelinePhaseResult } from './pipeline-phase';
import { ROLES } from './proc-cpu';

/**
 * What one image costs the platform in CPU, all processes together (background included; the bench
 * itself, workload generator included, left out), and the rate that fills every core: cores × 1,000
 * core-ms/s ÷ core-ms per image.
 */
export interface CpuBudget {
  readonly phase: string;
  readonly coreMsPerImage: Readonly<Record<string, number>>;
  readonly totalCoreMsPerImage: number;
  readonly imagesPerSecond: number;
}

export function cpuBudgetOf(phase: PipelinePhaseResult, cores = cpus().length): CpuBudget {
  const pipelineRoles = ROLES.filter((role) => role !== 'bench');
  const perImage = Object.fromEntries(
    pipelineRoles.map((role) => [role, round1((1000 * phase.cpu.seconds[role]) / Math.max(1, phase.processed))]),
  );
  const totalPerImage = round1(Object.values(perImage).reduce((a, b) => a + b, 0));
  return {
    phase: phase.name,
    coreMsPerImage: perImage,
    totalCoreMsPerImage: totalPerImage,
    imagesPerSecond: round2((cores * 1000) / totalPerImage),
  };
}

/**
 * The phase that prices an image for the CPU budget: the highest rate the pipeline kept up with, the
 * latency phase if no step above it did. The budget predicts where the CPU runs out, so the price is
 * taken near there: an image costs less as the rate rises (the background and every poll, wake-up and
 * batch are shared by more images), and a price taken at a lower rate predicts a capacity the same run
 * then exceeds (107 core-ms at 10 images/s: 18.8 images/s, yet 26.5 processed a second at 30 offered).
 */
export function capacityPhase(latency: PipelinePhaseResult, ladder: readonly PipelinePhaseResult[]): PipelinePhaseResult {
  return [latency, ...ladder].filter((p) => p.keptUp).reduce((top, p) => (p.offeredRate > top.offeredRate ? p : top), latency);
}

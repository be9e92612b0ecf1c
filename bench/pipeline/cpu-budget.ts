import { cpus } from 'node:os';
import { round1, round2 } from '@imagery/kernel/stats';
import type { PipelinePhaseResult } from './pipeline-phase';
import { ROLES } from './proc-cpu';

/**
 * What one image really costs the platform in CPU, all processes together (measured in the latency
 * phase, background included; the bench itself, workload generator included, left out), and the rate
 * that fills every core: cores × 1,000 core-ms/s ÷ core-ms per image.
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

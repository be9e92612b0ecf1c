import { cpus } from 'node:os';
import { round1, round2 } from '@imagery/kernel/stats';
import type { PipelinePhaseResult } from './pipeline-phase';
import { ROLES } from './proc-cpu';
import type { Measurements } from './measurements';

/**
 * What one image really costs the platform in CPU, all processes together (measured in the latency
 * phase, background included; the bench itself, workload generator included, left out), and the rate that fills every core.
 */
export interface CpuBudget {
  coreMsPerImage: Record<string, number>;
  totalCoreMsPerImage: number;
  imagesPerSecond: number;
}

export interface ReportRatios {
  throughputOfCeiling: number;
  throughputOfSharedCpuCeiling: number;
  throughputOfCpuBudget: number;
  apiOverhead: number;
  apiOverheadVsEmulatorDirect: number;
  haproxyOverAdapter: number;
  /** The better of the no-fault runs (all of them in p99NoFaultRunsMs). */
  p99NoFaultMs: number;
  p99NoFaultRunsMs: number[];
}

export function cpuBudgetOf(latency: PipelinePhaseResult): CpuBudget {
  const pipelineRoles = ROLES.filter((role) => role !== 'bench');
  const perImage = Object.fromEntries(
    pipelineRoles.map((role) => [role, round1((1000 * latency.cpu.seconds[role]) / Math.max(1, latency.processed))]),
  );
  const totalPerImage = round1(Object.values(perImage).reduce((a, b) => a + b, 0));
  return {
    coreMsPerImage: perImage,
    totalCoreMsPerImage: totalPerImage,
    imagesPerSecond: round2((cpus().length * 1000) / totalPerImage),
  };
}

/** The best phase's completions against each ceiling, the API's overhead, and its p99 without faults. */
export function ratiosOf(m: Measurements, best: PipelinePhaseResult, shared: number, cpuBudget: CpuBudget): ReportRatios {
  const noFaultRuns = m.apiLoads.filter((a) => !a.fault);
  const p99 = noFaultRuns.length ? Math.min(...noFaultRuns.map((a) => a.ms.all.p99)) : NaN;
  const roundTrips = m.roundTrips.ratios;
  return {
    throughputOfCeiling: round2(best.processedPerSecond / m.ceiling.imagesPerSecond),
    throughputOfSharedCpuCeiling: round2(best.processedPerSecond / shared),
    throughputOfCpuBudget: round2(best.processedPerSecond / cpuBudget.imagesPerSecond),
    apiOverhead: roundTrips.apiDirectOverAdapterViaProxy,
    apiOverheadVsEmulatorDirect: roundTrips.apiDirectOverAdapter,
    haproxyOverAdapter: roundTrips.haproxyOverAdapter,
    p99NoFaultMs: p99,
    p99NoFaultRunsMs: noFaultRuns.map((a) => a.ms.all.p99),
  };
}

import { cpus, loadavg } from 'node:os';
import sharp from 'sharp';
import { round2 } from '@imagery/kernel/stats';
import { CHAOS_WORKER_ENV } from '../../platform/local/session';
import type { ApiLoadResult } from './api-load-phase';
import type { Measurements } from './measurements';
import { EmulatorRateResult, OPS_PER_IMAGE, PIPELINE_OPS } from './emulator-rate';
import type { PipelinePhaseResult } from './pipeline-phase';
import { CpuBudget, cpuBudgetOf, ratiosOf, ReportRatios } from './report-ratios';
import type { RoundTripResult } from './round-trip';
import { TARGETS } from './settings';
import type { SharpRateResult } from './sharp-rate';

/** Everything one run measured: printed as a table, written as .run/bench-pipeline.json. */
export interface Report {
  benchmark: 'pipeline';
  startedAt: string;
  durationSeconds?: number;
  machine: { cpus: number; cpuModel?: string; node: string; libvips: string; loadAverageAtEnd: number[] };
  settings: ReportSettings;
  ceiling: {
    opsPerImage: number;
    pipelineOps: typeof PIPELINE_OPS;
    emulator: EmulatorRateResult;
    sharp: SharpRateResult;
    imagesPerSecond: number;
    limitedBy: string;
    /** Rough: if the emulator's and sharp's work shared the same cores, 1 / (1/a + 1/b). */
    sharedCpuImagesPerSecond: number;
    cpuBudget: CpuBudget;
  };
  roundTrips: RoundTripResult;
  pipeline: {
    latency: PipelinePhaseResult;
    throughput: PipelinePhaseResult[];
    /** The step that processed the most images per second. */
    best: string;
    imagesPerSecond: number;
  };
  api: ApiLoadResult[];
  ratios: ReportRatios;
  targets: typeof TARGETS;
  verdicts: { throughput: boolean; apiOverhead: boolean; p99: boolean };
}

export interface ReportSettings {
  seed: number;
  apiInstances: number;
  workers: number;
  workerEnv: typeof CHAOS_WORKER_ENV;
  fixtures: { width: number; height: number; bytes: number }[];
  latencyRate: number;
  throughputRates: number[];
  apiRate?: number;
  apiSeconds?: number;
  faults: (string | undefined)[];
}

export function buildReport(m: Measurements): Report {
  // Any no-fault phase's completions count, the latency phase's too: a step past the knee can collapse below an earlier one.
  const best = [m.latency, ...m.throughput].reduce((a, b) => (b.processedPerSecond > a.processedPerSecond ? b : a));
  const { sharpRate, emulator } = m.ceiling;
  const shared = round2(1 / (1 / sharpRate.ceilingImagesPerSecond + 1 / emulator.ceilingImagesPerSecond));
  const cpuBudget = cpuBudgetOf(m.latency);
  const ratios = ratiosOf(m, best, shared, cpuBudget);
  return {
    benchmark: 'pipeline',
    startedAt: new Date(m.started).toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      node: process.version,
      libvips: sharp.versions.vips ?? '?',
      loadAverageAtEnd: loadavg().map(round2),
    },
    settings: settingsOf(m),
    ceiling: {
      opsPerImage: OPS_PER_IMAGE,
      pipelineOps: PIPELINE_OPS,
      emulator,
      sharp: sharpRate,
      imagesPerSecond: m.ceiling.imagesPerSecond,
      limitedBy: m.ceiling.limitedBy,
      sharedCpuImagesPerSecond: shared,
      cpuBudget,
    },
    roundTrips: m.roundTrips,
    pipeline: { latency: m.latency, throughput: m.throughput, best: best.name, imagesPerSecond: best.processedPerSecond },
    api: m.apiLoads,
    ratios,
    targets: TARGETS,
    verdicts: {
      throughput: ratios.throughputOfCeiling >= TARGETS.throughputOfCeiling,
      apiOverhead: ratios.apiOverhead <= TARGETS.apiOverhead,
      p99: ratios.p99NoFaultMs < TARGETS.p99Ms,
    },
  };
}

function settingsOf(m: Measurements): ReportSettings {
  const noFault = m.apiLoads.find((a) => !a.fault);
  return {
    seed: m.settings.seed,
    apiInstances: m.settings.apiCount,
    workers: m.settings.workerCount,
    workerEnv: CHAOS_WORKER_ENV,
    fixtures: m.fixtures.map((f) => ({ width: f.width, height: f.height, bytes: f.bytes })),
    latencyRate: m.latency.offeredRate,
    throughputRates: m.throughput.map((t) => t.offeredRate),
    apiRate: noFault?.rate,
    apiSeconds: noFault?.seconds,
    faults: m.apiLoads.filter((a) => a.fault).map((a) => a.fault),
  };
}

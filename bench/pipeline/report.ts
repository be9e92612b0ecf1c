import { cpus, loadavg } from 'node:os';
import sharp from 'sharp';
import { round2 } from '@imagery/kernel/stats';
import { CHAOS_WORKER_ENV } from '../../platform/local/session';
import type { ApiLoadResult } from './api-load-phase';
import type { ApiOverheadResult } from './api-overhead';
import type { ApiSaturation } from './api-saturation';
import { BenchRow, judgeRows } from './bench-rows';
import { capacityPhase, CpuBudget, cpuBudgetOf } from './cpu-budget';
import { EmulatorRateResult } from './emulator-rate';
import { figuresOf } from './figures';
import type { IdleWindow } from './idle-window';
import type { Measurements } from './measurements';
import type { PipelinePhaseResult } from './pipeline-phase';
import type { SharpRateResult } from './sharp-rate';
import { StalledPhase, stalledPhases } from './stalled-phases';

/** Everything one run measured: printed as a table, written as .run/bench-pipeline.json. */
export interface Report {
  benchmark: 'pipeline';
  startedAt: string;
  durationSeconds?: number;
  machine: { cpus: number; cpuModel?: string; node: string; libvips: string; loadAverageAtEnd: number[] };
  settings: ReportSettings;
  /** Issue 16's bench rows (targets.ts), each with its value, target and verdict. */
  rows: BenchRow[];
  /** Phases during which the machine stood still: their rows measured the pause (stalled-phases.ts). */
  stalledPhases: StalledPhase[];
  ceiling: {
    /** Counted from the requests the direct clients sent (empty receives left out), not read from the code. */
    opsPerImage: number;
    emulator: EmulatorRateResult;
    plainMoto: EmulatorRateResult;
    ratioToPlainMoto: number;
    sharp: SharpRateResult;
    /** The lower of sharp's and the emulator's rates, each measured alone (it sets the latency phase's rate). */
    imagesPerSecond: number;
    limitedBy: string;
    cpuBudget: CpuBudget;
    /** What the pipeline's rate is judged against: the lower of the emulator ceiling and the CPU budget. */
    lowerOfEmulatorAndCpu: number;
  };
  roundTrips: ApiOverheadResult;
  pipeline: {
    /** Left out of every figure: what the same images cost a fresh platform. */
    warmUp: PipelinePhaseResult;
    latency: PipelinePhaseResult;
    throughput: PipelinePhaseResult[];
  };
  idle: IdleWindow;
  api: ApiLoadResult[];
  apiSaturation: ApiSaturation;
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
  apiRates: number[];
  faults: (string | undefined)[];
}

export function buildReport(m: Measurements): Report {
  const cpuBudget = cpuBudgetOf(capacityPhase(m.latency, m.throughput));
  const { sharpRate, emulator, plainMoto, ratioToPlainMoto } = m.ceiling;
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
    rows: judgeRows(figuresOf(m, cpuBudget)),
    stalledPhases: stalledPhases(m),
    ceiling: {
      opsPerImage: emulator.opsPerImage,
      emulator,
      plainMoto,
      ratioToPlainMoto,
      sharp: sharpRate,
      imagesPerSecond: m.ceiling.imagesPerSecond,
      limitedBy: m.ceiling.limitedBy,
      cpuBudget,
      lowerOfEmulatorAndCpu: Math.min(emulator.ceilingImagesPerSecond, cpuBudget.imagesPerSecond),
    },
    roundTrips: m.roundTrips,
    pipeline: { warmUp: m.warmUp, latency: m.latency, throughput: m.throughput },
    idle: m.idle,
    api: m.apiLoads,
    apiSaturation: m.apiSaturation,
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
    apiRates: m.apiSaturation.steps.map((s) => s.rate),
    faults: m.apiLoads.filter((a) => a.fault).map((a) => a.fault),
  };
}

import { round1, round2 } from '@imagery/kernel/stats';
import type { BenchFigure, BenchFigures } from './bench-rows';
import { capacityPhase, CpuBudget, cpuBudgetOf } from './cpu-budget';
import { apiPerRequestFloor, Floor, pipelineRateCeiling, platformFloor, platformOverSharpFloor, workerOverSepiaFloor } from './floors';
import { describe } from './idle-window';
import type { Measurements } from './measurements';

/**
 * Issue 16's bench rows, each figure from this run's measurements, with how it was obtained.
 * `budget` is the whole platform's CPU per image (cpu-budget.ts), at the highest rate kept up with.
 */
export function figuresOf(m: Measurements, budget: CpuBudget): BenchFigures {
  const pipelineRate = highestKeptUp(m);
  const phase = capacityPhase(m.latency, m.throughput); // the budget's
  const floor = platformFloor(phase, m.ceiling.sharpRate, m.roundTrips.sdkCallCpu);
  return {
    pipelineRate: { ...pipelineRateFigure(m, pipelineRate), ...withFloor(pipelineRateCeiling(floor, m.ceiling.sharpRate.cores)) },
    pipelineOfCeiling: ofCeilingFigure(m, pipelineRate, budget),
    emulatorOverPlainMoto: plainMotoFigure(m),
    ...cpuFigures(m, budget, phase, floor),
    awsCallsPerImage: awsCallsFigure(m),
    ...apiFigures(m),
  };
}

const withFloor = (floor: Floor | undefined): Pick<BenchFigure, 'floor'> => (floor ? { floor } : {});

/** The highest offered rate any no-fault phase kept up with (0: none), and the first it fell behind at. */
function highestKeptUp(m: Measurements): { rate: number; fellBehindAt?: number; processedThere?: number } {
  const phases = [m.latency, ...m.throughput];
  const rate = Math.max(0, ...phases.filter((p) => p.keptUp).map((p) => p.offeredRate));
  // the lowest rate not kept up with (the ladder's refinement runs after the step it falls behind at)
  const behind = phases.filter((p) => !p.keptUp && p.offeredRate > rate).sort((a, b) => a.offeredRate - b.offeredRate)[0];
  return { rate, ...(behind ? { fellBehindAt: behind.offeredRate, processedThere: behind.processedPerSecond } : {}) };
}

function pipelineRateFigure(m: Measurements, top: ReturnType<typeof highestKeptUp>): BenchFigure {
  const tried = [m.latency, ...m.throughput].map((p) => `${p.offeredRate}${p.keptUp ? '' : '✗'}`).join(', ');
  const end =
    top.fellBehindAt !== undefined
      ? `fell behind at ${top.fellBehindAt} (processed ${top.processedThere}/s)`
      : 'never fell behind: the ladder (BENCH_RATES) ends there';
  return { value: top.rate, detail: `${end}; offered ${tried} images/s` };
}

function ofCeilingFigure(m: Measurements, top: ReturnType<typeof highestKeptUp>, budget: CpuBudget): BenchFigure {
  const emulator = m.ceiling.emulator.ceilingImagesPerSecond;
  const lower = Math.min(emulator, budget.imagesPerSecond);
  return {
    value: round2(top.rate / lower),
    detail:
      `${top.rate} ÷ ${lower} (emulator ceiling ${emulator}; CPU budget ${budget.imagesPerSecond} = ` +
      `${m.ceiling.sharpRate.cores * 1000} core-ms/s ÷ ${budget.totalCoreMsPerImage} per image)`,
  };
}

function plainMotoFigure(m: Measurements): BenchFigure {
  const { plainMoto, ratioToPlainMoto, emulator } = m.ceiling;
  if (!plainMoto || ratioToPlainMoto === undefined) return { detail: 'not measured: no plain moto baseline in this run' };
  return {
    value: ratioToPlainMoto,
    detail:
      `${emulator.ceilingImagesPerSecond} ÷ ${plainMoto.ceilingImagesPerSecond} images/s ` +
      `(${emulator.best.opsPerSecond} ÷ ${plainMoto.best.opsPerSecond} ops/s)`,
  };
}

/**
 * The platform's CPU per image at the highest rate kept up with (the budget's), against sharp's work on
 * the same images, measured alone; the latency phase's price, at its lower rate, printed beside it.
 */
function cpuFigures(
  m: Measurements,
  budget: CpuBudget,
  phase: Measurements['latency'],
  floor: Floor | undefined,
): Pick<BenchFigures, 'platformCpuPerImage' | 'platformOverSharp' | 'workerOverSepia'> {
  const sharp = m.ceiling.sharpRate;
  const worker = budget.coreMsPerImage.worker ?? NaN;
  const latency = cpuBudgetOf(m.latency, sharp.cores);
  const sdk = m.roundTrips.sdkCallCpu;
  return {
    platformCpuPerImage: {
      value: budget.totalCoreMsPerImage,
      detail:
        `${describe(budget.coreMsPerImage)} (${budget.phase} at ${phase.offeredRate} images/s, the highest rate kept up with, ` +
        `background included; ${withoutIdle(m, phase, budget)} without the idle window's rate); ` +
        `${latency.totalCoreMsPerImage} in the latency phase at ${m.latency.offeredRate} images/s ` +
        `(worker ${latency.coreMsPerImage.worker})`,
      ...withFloor(floor),
    },
    platformOverSharp: {
      value: round2(budget.totalCoreMsPerImage / sharp.pipeline.cpuMsPerImage),
      detail: `${budget.totalCoreMsPerImage} (${budget.phase}) ÷ ${sharp.pipeline.cpuMsPerImage} core-ms (sharp alone, same fixtures)`,
      ...withFloor(platformOverSharpFloor(floor, sharp)),
    },
    workerOverSepia: {
      value: round2(worker / sharp.sepia.cpuMsPerImage),
      detail: `${worker} (${budget.phase}) ÷ ${sharp.sepia.cpuMsPerImage} core-ms`,
      ...withFloor(workerOverSepiaFloor(phase, sharp, sdk)),
    },
  };
}

/** The platform's CPU per image less what it spends idling over the same wall time: the work the images alone cost. */
function withoutIdle(m: Measurements, phase: Measurements['latency'], budget: CpuBudget): number {
  const idlePerSecond = Object.values(m.idle.coreMsPerSecond).reduce((a, b) => a + b, 0);
  return round1(budget.totalCoreMsPerImage - (idlePerSecond * phase.cpu.wallSeconds) / Math.max(1, phase.processed));
}

/**
 * The fleet's AWS calls in the latency phase per image processed: background (readiness, sweeps) and
 * the clients' polling reads (at the calls one read cost in the round-trip phase) left out; empty
 * receives under load stay in. The idle window's rate is the background, reported apart.
 */
function awsCallsFigure(m: Measurements): BenchFigure {
  const calls = m.latency.awsCalls;
  if (!calls) return { detail: 'not measured: no fleet metrics' };
  const perRead = m.roundTrips.awsCallsPerRead;
  const reads = round1(calls.imageReads * perRead);
  const pipeline = calls.total - calls.background - reads;
  const idle = m.idle.calls;
  return {
    value: round1(pipeline / Math.max(1, m.latency.processed)),
    detail:
      `(${calls.total} − ${calls.background} background − ${calls.imageReads} reads × ${perRead}) ÷ ${m.latency.processed} ` +
      `processed; ${describe(calls.byOperation)}; idle: ${idle.perSecond}/s (${describe(m.idle.callsPerSecond)})`,
  };
}

function apiFigures(m: Measurements): Pick<BenchFigures, 'apiCpuPerRequest' | 'apiP99' | 'apiSaturation' | 'apiGetOverAdapter'> {
  const noFault = m.apiLoads.filter((a) => !a.fault);
  const first = noFault[0];
  const served = first ? first.requests + first.warmup.requests : 0;
  const best = noFault.reduce<(typeof noFault)[number] | undefined>((b, a) => (!b || a.ms.all.p99 < b.ms.all.p99 ? a : b), undefined);
  const sat = m.apiSaturation;
  const rt = m.roundTrips;
  return {
    apiCpuPerRequest: first
      ? {
          value: round2((1000 * first.cpu.seconds.api) / Math.max(1, served)),
          detail:
            `${first.cpu.seconds.api} core-s ÷ ${served} requests at ${first.rate} req/s ` +
            `(API ${first.cpu.percentOfCore.api}% of a core); one DynamoDB read alone costs ` +
            `${rt.sdkCallCpu.perCallMs.dynamodb} core-ms through the SDK, ${rt.sdkCallCpu.plainHttpMs} by plain HTTP (sdk-call-cpu.ts)`,
          floor: apiPerRequestFloor(rt.awsCallsPerRead, rt.sdkCallCpu, rt.bareHttpCpu),
        }
      : { detail: 'not measured: no no-fault API load' },
    apiP99: best
      ? {
          value: best.ms.all.p99,
          detail:
            `${best.achievedRate} req/s served, p50 ${Math.round(best.ms.all.p50)} ms, ` +
            `${best.failed} failed, ${best.droppedIterations} dropped`,
        }
      : { detail: 'not measured: no no-fault API load' },
    apiSaturation: {
      value: sat.highestRate ?? 0,
      detail: sat.steps.map((s) => `${s.rate}${s.served ? '' : '✗'} p99 ${Math.round(s.load.ms.all.p99)} ms`).join(', ') || 'no step ran',
    },
    apiGetOverAdapter: {
      value: rt.ratios.apiDirectOverAdapterViaProxy,
      detail:
        `${rt.ms.apiDirect.p50} ÷ ${rt.ms.adapterViaProxy.p50} ms (adapter via Toxiproxy, as the API calls it); ` +
        `${rt.ratios.apiDirectOverAdapter}× the adapter straight to the emulator`,
    },
  };
}

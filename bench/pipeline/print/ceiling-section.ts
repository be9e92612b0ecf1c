import { CHAOS_WORKER_ENV } from '../../../platform/local/session';
import type { Report } from '../report';
import { describe } from '../idle-window';
import { pct } from './format';

/** The run's title: the machine, the fleet, the seed. */
export function headerSection(r: Report): string[] {
  return [
    '',
    `Pipeline benchmark — ${r.machine.cpus} cores, ${r.settings.apiInstances} API + ${r.settings.workers} workers ` +
      `(WORKER_CONCURRENCY ${CHAOS_WORKER_ENV.WORKER_CONCURRENCY}), seed ${r.settings.seed}, ` +
      `load average at the end ${r.machine.loadAverageAtEnd.join(' ')}`,
    'One run on a shared machine: read the ratios, not the absolute figures ("machine busy" below includes other tenants).',
    '',
  ];
}

/** The emulator's (and one plain moto's) and sharp's rates, and what one image costs the whole platform in CPU. */
export function ceilingSection(r: Report): string[] {
  const c = r.ceiling;
  const e = c.emulator.best;
  const otherLevels = c.emulator.levels
    .filter((x) => x !== e)
    .map((x) => `${x.concurrency} loops ${x.opsPerSecond} ops/s`)
    .join(', ');
  const budget = c.cpuBudget;
  return [
    'Local ceiling (each measured alone, on the idle platform)',
    `  emulator   ${e.opsPerSecond} ops/s raw, the pipeline's calls and object sizes, ${e.concurrency} loops at once ` +
      `(moto ${pct(e.emulatorCpuPercent)} of a core, client ${pct(e.clientCpuPercent)}, machine ${pct(e.machineBusyPercent)} busy)`,
    `             ÷ ${c.opsPerImage} ops/image = ${c.emulator.ceilingImagesPerSecond} images/s   ` +
      `(other level${c.emulator.levels.length > 2 ? 's' : ''}: ${otherLevels})`,
    `  plain moto ${c.plainMoto.best.opsPerSecond} ops/s = ${c.plainMoto.ceilingImagesPerSecond} images/s: ` +
      `the emulator ${c.ratioToPlainMoto}× it`,
    `  sharp      ${c.sharp.pipeline.imagesPerSecond} images/s on ${c.sharp.cores} cores: API inspect + worker sepia, fixture mix ` +
      `(${c.sharp.pipeline.cpuMsPerImage} core-ms/image spent; sepia alone ${c.sharp.sepia.imagesPerSecond}/s, ` +
      `${c.sharp.sepia.cpuMsPerImage} core-ms; machine ${pct(c.sharp.pipeline.machineBusyPercent)} busy)`,
    `  CPU/image  ${budget.totalCoreMsPerImage} core-ms for the whole platform ` +
      `(${budget.phase} phase, background included, the load generator left out): ${describe(budget.coreMsPerImage)}`,
    `             → CPU budget: ${r.machine.cpus} cores all busy = ~${budget.imagesPerSecond} images/s, with nothing else on the machine`,
    `  ceiling    ${c.lowerOfEmulatorAndCpu} images/s, the lower of the emulator's and the CPU budget ` +
      `(sharp vs emulator alone: ${c.imagesPerSecond}, ${c.limitedBy}: it sets the latency phase's rate)`,
    `  emulator latency per op, p50 ms under that load: ${c.emulator.operations.map((o) => `${o.operation} ${o.p50}`).join(', ')}`,
    '',
  ];
}

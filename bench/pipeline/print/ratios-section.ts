import type { Report } from '../report';
import { TARGETS } from '../settings';
import { ms, verdict } from './format';

/** The ratios against the design's targets, each with its verdict. */
export function ratiosSection(r: Report): string[] {
  const c = r.ceiling;
  const x = r.ratios;
  const { latency, throughput } = r.pipeline;
  const best = [latency, ...throughput].find((t) => t.name === r.pipeline.best) ?? latency;
  const keptUp = best.keptUp ? ', kept up with all it was offered: capacity at least this' : '';
  const noFaultRuns = x.p99NoFaultRunsMs.map((v) => `${ms(v)} ms`).join(', ');
  return [
    'Ratios against ../shared/DESIGN.md "Targets"',
    `  pipeline throughput / local ceiling  ${x.throughputOfCeiling.toFixed(2)}   ${best.processedPerSecond} (${best.name}${keptUp})` +
      ` / ${c.imagesPerSecond} images/s; target >= ${TARGETS.throughputOfCeiling}: ${verdict(r.verdicts.throughput)}`,
    `    ... / shared-CPU estimate          ${x.throughputOfSharedCpuCeiling.toFixed(2)}   ` +
      `${best.processedPerSecond} / ${c.sharedCpuImagesPerSecond} images/s (informative)`,
    `    ... / whole-platform CPU budget    ${x.throughputOfCpuBudget.toFixed(2)}   ` +
      `${best.processedPerSecond} / ${c.cpuBudget.imagesPerSecond} images/s (informative)`,
    `  API overhead, p50                    ${x.apiOverhead.toFixed(2)}x  the adapter round trip it wraps ` +
      `(through Toxiproxy, like the instance's); target <= ${TARGETS.apiOverhead}: ${verdict(r.verdicts.apiOverhead)}`,
    `                                       ${x.apiOverheadVsEmulatorDirect.toFixed(2)}x  the adapter straight to the emulator; ` +
      `${x.haproxyOverAdapter.toFixed(2)}x through HAProxy`,
    `  API p99 at ${r.settings.apiRate} req/s, no fault        ${ms(x.p99NoFaultMs)} ms; ` +
      `target < ${TARGETS.p99Ms} ms: ${verdict(r.verdicts.p99)}` +
      `${x.p99NoFaultRunsMs.length > 1 ? ` (the better of the no-fault runs: ${noFaultRuns})` : ''}`,
    '',
  ];
}

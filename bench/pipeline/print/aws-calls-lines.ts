import type { PipelinePhaseResult } from '../pipeline-phase';
import type { Report } from '../report';

/**
 * The AWS calls the fleet made during one phase (its own metrics): rate, share of the emulator's raw
 * rate, by operation, mean latency, and the workers' jobs; for the latency phase, calls per image too.
 */
export function awsCallLines(p: PipelinePhaseResult, isLatencyPhase: boolean, r: Report): string[] {
  const calls = p.awsCalls;
  if (!calls) return [];
  const opsPerImage = r.ceiling.opsPerImage;
  const rawRate = r.ceiling.emulator.best.opsPerSecond;
  const perImage = p.processed ? (calls.total - calls.background) / p.processed : NaN;
  const top = Object.entries(calls.byOperation)
    .sort((x, y) => y[1] - x[1])
    .map(([op, n]) => `${op} ${n}`)
    .join(', ');
  const means = Object.entries(calls.meanMs)
    .filter(([op]) => calls.byOperation[op] && op !== 'ReceiveMessage') // a receive long-polls up to 20 s
    .sort((x, y) => y[1] - x[1])
    .map(([op, v]) => `${op} ${v}`)
    .join(', ');
  const jobs = Object.entries(calls.jobs)
    .map(([outcome, n]) => `${outcome} ${n}`)
    .join(', ');
  const perImageNote = isLatencyPhase
    ? `; ${perImage.toFixed(1)} per processed image, the emulator bench counted ${opsPerImage} + ${p.getsPerImage} GETs`
    : '';
  return [
    `  ${p.name}: the fleet's AWS calls ${calls.perSecond}/s ` +
      `(${Math.round((100 * calls.perSecond) / rawRate)}% of the emulator's raw rate; ` +
      `${calls.background} of ${calls.total} readiness checks and repair sweeps)${perImageNote}`,
    `    calls: ${top}`,
    `    mean ms per call as the apps saw it: ${means}`,
    `    worker jobs: ${jobs || 'none'}; repair sweep re-enqueued ${calls.repairs}`,
  ];
}

import { haproxyWatcher, PhaseContext } from './phase-context';
import { PipelinePhaseResult, runPipelinePhase } from './pipeline-phase';
import { phaseLine } from './progress-lines';
import { envNumber } from './settings';
import { drain } from './settle';

/**
 * Upload→processed latency at a rate the pipeline should sustain (BENCH_LATENCY_RATE, by default
 * 30 % of the ceiling, 2..10 images/s); its backlog drains before the next phase.
 */
export async function measureLatency(context: PhaseContext, ceiling: number): Promise<PipelinePhaseResult> {
  const { session, log, settings } = context;
  const rate = envNumber('BENCH_LATENCY_RATE', Math.min(10, Math.max(2, Math.round(ceiling * 0.3))));
  const seconds = envNumber('BENCH_LATENCY_SECONDS', 25);
  log(`latency phase: load/imagery.js at ${rate} images/s for ${seconds} s (no faults, no bad input)`);
  const latency = await runPipelinePhase({
    name: 'latency',
    session,
    aws: context.direct,
    fixturesDir: context.fixturesDir,
    rate,
    seconds,
    warmupSeconds: 5,
    seed: settings.seed,
    runDir: context.runDir,
    metrics: session.platform.controlPlane.metrics,
    watchHaproxy: haproxyWatcher(context),
    log,
  });
  log(phaseLine(latency));
  await drain(session, 30_000, log);
  return latency;
}

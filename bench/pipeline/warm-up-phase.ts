import { cpuBudgetOf } from './cpu-budget';
import { PhaseContext } from './phase-context';
import { PipelinePhaseResult, runPipelinePhase } from './pipeline-phase';
import { phaseLine } from './progress-lines';
import { envNumber } from './settings';
import { drain } from './settle';

/**
 * The platform served for a while before anything is measured, as a platform in service has: a fresh
 * process runs its first images on code V8 has not optimised yet and a heap still growing. Measured on
 * two fresh local platforms, 20 s windows at 15 images/s, core-ms per image: 115, 109, 100, 99, 98,
 * then 81–83; and 99, 91, 92, 87, 101, 94, 94, 97. The API's first 300 images cost 7–12 core-ms more
 * each than its later ones in both; past the first minute the machine's own variation is larger than
 * any further warming. The warm-up's price is kept and printed as the cold cost; no figure is taken from it.
 */
export async function warmUpPipeline(context: PhaseContext): Promise<PipelinePhaseResult> {
  const { session, log, settings } = context;
  const rate = envNumber('BENCH_WARMUP_RATE', 12);
  const seconds = envNumber('BENCH_WARMUP_SECONDS', 60);
  log(`warm-up: load/imagery.js at ${rate} images/s for ${seconds} s; no figure is taken from it`);
  const warmUp = await runPipelinePhase({
    name: 'warm-up',
    session,
    aws: context.direct,
    fixturesDir: context.fixturesDir,
    rate,
    seconds,
    warmupSeconds: 0,
    seed: settings.seed,
    runDir: context.runDir,
    tailMs: 0,
    metrics: session.platform.controlPlane.metrics,
    log,
  });
  log(`${phaseLine(warmUp)}; cold, ${cpuBudgetOf(warmUp).totalCoreMsPerImage} core-ms per image`);
  await drain(session, 30_000, log);
  return warmUp;
}

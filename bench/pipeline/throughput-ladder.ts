import { setTimeout as sleep } from 'node:timers/promises';
import { haproxyWatcher, PhaseContext } from './phase-context';
import { PipelinePhaseResult, runPipelinePhase } from './pipeline-phase';
import { phaseLine } from './progress-lines';
import { drain } from './settle';

/** A replaced instance's first seconds (JIT, connections) are not the pipeline's steady state. */
const SETTLE_MS = 5_000;

/**
 * Throughput: a ladder of offered rates (fractions of the ceiling), up to the first step the
 * pipeline cannot keep up with; each step's backlog drains (bounded) before the next.
 */
export async function climbThroughputLadder(context: PhaseContext, ceiling: number): Promise<PipelinePhaseResult[]> {
  const { session, log } = context;
  await sleep(SETTLE_MS);
  const throughput: PipelinePhaseResult[] = [];
  for (const fraction of context.settings.steps) {
    const step = await runLadderStep(context, ceiling, fraction);
    throughput.push(step);
    log(phaseLine(step));
    if (!step.keptUp) {
      log(`${step.name}: the pipeline did not keep up; the ladder stops here`);
      break;
    }
    await drain(session, 20_000, log);
  }
  return throughput;
}

function runLadderStep(context: PhaseContext, ceiling: number, fraction: number): Promise<PipelinePhaseResult> {
  const { session, settings, log } = context;
  const rate = Math.max(1, Math.ceil(ceiling * fraction)); // never below the fraction: 70 % means at least 70 %
  const percent = Math.round(fraction * 100);
  const name = `ladder-${percent}%`;
  log(`${name}: load/imagery.js offered at ${rate} images/s (${percent} % of the ceiling) for ${settings.stepSeconds} s`);
  return runPipelinePhase({
    name,
    session,
    aws: context.direct,
    fixturesDir: context.fixturesDir,
    rate,
    seconds: settings.stepSeconds,
    warmupSeconds: 5,
    seed: settings.seed,
    runDir: context.runDir,
    tailMs: 0,
    // Journeys last seconds once a backlog builds: a VU made mid-run costs a script compile, and arrivals drop meanwhile.
    preVus: Math.ceil(rate * 6),
    metrics: session.platform.controlPlane.metrics,
    watchHaproxy: haproxyWatcher(context),
    log,
  });
}

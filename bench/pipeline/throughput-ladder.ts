import { setTimeout as sleep } from 'node:timers/promises';
import { haproxyWatcher, PhaseContext } from './phase-context';
import { PipelinePhaseResult, runPipelinePhase } from './pipeline-phase';
import { phaseLine } from './progress-lines';
import { drain } from './settle';

/** A replaced instance's first seconds (JIT, connections) are not the pipeline's steady state. */
const SETTLE_MS = 5_000;

/** The finest step the ladder refines to, images/s: finer than the machine's run-to-run noise is not a figure. */
export const LADDER_RESOLUTION = 2.5;

/**
 * Throughput: a ladder of offered rates (BENCH_RATES, images/s), from the first above `keptUpAt` (a
 * rate already kept up with, e.g. the latency phase's) up to the first step the pipeline cannot keep
 * up with, then once the rate halfway between that step and the last kept up with (refinedRate): the
 * ladder's 5 images/s steps alone understate the highest rate by up to a whole step. Each step's
 * backlog drains (bounded) before the next.
 */
export async function climbThroughputLadder(context: PhaseContext, keptUpAt: number): Promise<PipelinePhaseResult[]> {
  const { session, log } = context;
  await sleep(SETTLE_MS);
  const throughput: PipelinePhaseResult[] = [];
  let highest = keptUpAt;
  for (const rate of context.settings.rates.filter((r) => r > keptUpAt)) {
    const step = await runLadderStep(context, rate);
    throughput.push(step);
    log(phaseLine(step));
    if (step.keptUp) {
      highest = rate;
      await drain(session, 20_000, log);
      continue;
    }
    const refined = refinedRate(highest, rate);
    const next = refined ? `the ladder tries ${refined} images/s, then stops` : 'the ladder stops here';
    log(`${step.name}: the pipeline did not keep up; ${next}`);
    if (refined) {
      await drain(session, 20_000, log);
      const between = await runLadderStep(context, refined);
      throughput.push(between);
      log(phaseLine(between));
    }
    break;
  }
  return throughput;
}

/** Halfway between the highest rate kept up with and the first not, on the ladder's resolution; none if they are that close. */
export function refinedRate(keptUpAt: number, fellBehindAt: number): number | undefined {
  const halfway = Math.round((keptUpAt + fellBehindAt) / 2 / LADDER_RESOLUTION) * LADDER_RESOLUTION;
  return halfway > keptUpAt && halfway < fellBehindAt ? halfway : undefined;
}

function runLadderStep(context: PhaseContext, rate: number): Promise<PipelinePhaseResult> {
  const { session, settings, log } = context;
  const name = `ladder-${rate}`;
  log(`${name}: load/imagery.js offered at ${rate} images/s for ${settings.stepSeconds} s`);
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

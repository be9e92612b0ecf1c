import type { PlatformSession } from '../../platform/local/session';
import { collectHistory } from './experiment/collect-history';
import { drainPlatform } from './experiment/drain-platform';
import { endFaults } from './experiment/end-faults';
import { judgeExperiment } from './experiment/judge-experiment';
import { LiveRun } from './experiment/live-run';
import { runLoadUnderFaults } from './experiment/load-under-faults';
import { LOAD_PHASE, PhaseClock, formatTiming } from './experiment/phase-timing';
import { planExperiment } from './experiment/plan-experiment';
import type { ExperimentRunOptions, ExperimentRunResult } from './experiment/run-options';
import { takeBaseline } from './experiment/take-baseline';
import { writeRunReport } from './experiment/write-run-report';
import { FisExperiment } from './fis-experiment';

/**
 * One experiment, Jepsen-style: the workload (load/) and the nemesis (a FIS experiment) run at the
 * same time and meet only in the history; then the system drains and the checker judges the
 * history against the final state. Each step is a file of ./experiment/.
 */
export async function runExperiment(session: PlatformSession, options: ExperimentRunOptions): Promise<ExperimentRunResult> {
  const clock = new PhaseClock();
  const fis = new FisExperiment(session.fisUrl);
  try {
    const plan = await clock.time('plan', () => planExperiment(fis, options));
    const start = await clock.time(`idle wait + ${options.emptyStoreFirst ? 'empty store + ' : ''}store baseline`, () =>
      takeBaseline(session, options),
    );
    const live = await clock.time('watchers start', () => LiveRun.start({ session, fis, plan, runDir: start.runDir, options }));
    try {
      const baseUrl = session.url;
      const load = await clock.time(LOAD_PHASE, () =>
        runLoadUnderFaults({ baseUrl, fis, plan, live, fixturesDir: start.fixturesDir, options }),
      );
      const stoppedBy = await clock.time('faults end + streaming stop', () => endFaults(fis, live));
      const drained = await clock.time('drain', () => drainPlatform(session, fis, live, load.loaded, options));
      const run = await clock.time('collect history', () => collectHistory(fis, live, drained.workloadHistory, options));
      const judged = await clock.time('final check', () =>
        judgeExperiment({ session, fis, run, drained, stoppedBy, baseline: start.baseline, judgements: live.judgements, options }),
      );
      const timing = () => clock.timing(plan.loadSeconds);
      const result = await clock.time('report', () =>
        writeRunReport({ session, options, plan, start, live, load, drained, run, judged, timing }),
      );
      options.log(`${options.experiment}: ${formatTiming(timing())}`);
      return result;
    } finally {
      await live.close();
    }
  } finally {
    await fis.stop();
    fis.destroy();
  }
}

import type { PlatformSession } from '../../platform/local/session';
import { collectHistory } from './experiment/collect-history';
import { drainPlatform } from './experiment/drain-platform';
import { endFaults } from './experiment/end-faults';
import { judgeExperiment } from './experiment/judge-experiment';
import { LiveRun } from './experiment/live-run';
import { runLoadUnderFaults } from './experiment/load-under-faults';
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
  const fis = new FisExperiment(session.fisUrl);
  try {
    const plan = await planExperiment(fis, options);
    const start = await takeBaseline(session, options);
    const live = await LiveRun.start({ session, fis, plan, runDir: start.runDir, options });
    try {
      const load = await runLoadUnderFaults({ baseUrl: session.url, fis, plan, live, fixturesDir: start.fixturesDir, options });
      const stoppedBy = await endFaults(fis, live);
      const drained = await drainPlatform(session, fis, live, load.loaded, options);
      const run = await collectHistory(fis, live, options);
      const judged = await judgeExperiment({ session, fis, run, drained, stoppedBy, baseline: start.baseline, options });
      return await writeRunReport({ session, options, plan, start, live, load, drained, run, judged });
    } finally {
      await live.close();
    }
  } finally {
    await fis.stop();
    fis.destroy();
  }
}
